/**
 * Turns the schema-validated config into the resolved form the agent uses: durations in ms, regexes
 * compiled, the URI parsed. Semantic problems are collected with their key path, never thrown one by one.
 */
import { parseUri, type ParsedUri } from '../drivers/uri.ts';
import { resolveAlertsBlock, type ResolvedAlerts } from './blocks/alerts.ts';
import { resolveRemote, type ResolvedRemote } from './blocks/auth.ts';
import { COLLECTOR_NAMES } from './blocks/collection.ts';
import { parseDuration } from './duration.ts';
import { resolveOtelBlock, type ResolvedOtelBlock } from './blocks/otel.ts';
import type { RawConfig } from './schema.ts';

type CollectorName = (typeof COLLECTOR_NAMES)[number];

/** Per-collector settings after defaults. `enabled` undefined = the collector's own default. */
export interface ResolvedCollector {
  readonly enabled?: boolean;
  readonly intervalMs?: number;
  readonly cron?: string;
}

/** The agent configuration, complete and checked. */
export interface ResolvedConfig {
  readonly uri: ParsedUri;
  readonly log: RawConfig['log'];
  readonly paths: RawConfig['paths'];
  readonly collection: {
    readonly intervalMs: number;
    readonly cron?: string;
    readonly jitterMs: number;
    readonly domainTimeoutMs: number;
    readonly startupErrorBehavior: RawConfig['collection']['startupErrorBehavior'];
  };
  readonly collectors: Readonly<Partial<Record<CollectorName, ResolvedCollector>>>;
  readonly domains: { readonly include: readonly RegExp[]; readonly exclude: readonly RegExp[]; readonly includeInactive: boolean };
  readonly http: RawConfig['http'];
  readonly api: RawConfig['api'];
  readonly metrics: RawConfig['metrics'];
  readonly otel: ResolvedOtelBlock;
  readonly snmp: RawConfig['snmp'];
  readonly alerts: ResolvedAlerts;
  readonly remote: ResolvedRemote;
  readonly agent: { readonly runDir?: string; readonly driver: Readonly<Record<string, unknown>>; readonly stopTimeoutMs: number };
}

/** A semantic problem at a key path. */
export interface ResolveProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Resolves a validated config; problems are returned, not thrown. */
export function resolveConfig(raw: RawConfig): { config: ResolvedConfig; problems: ResolveProblem[] } {
  const problems: ResolveProblem[] = [];
  const ms = (value: number | string, path: (string | number)[]): number => {
    const parsed = parseDuration(value);
    if (parsed === undefined) problems.push({ path, message: `is not a duration (got ${JSON.stringify(value)})` });
    return parsed ?? 0;
  };
  const regexes = (list: readonly string[], key: string): RegExp[] =>
    list.flatMap((source, i) => {
      try {
        return [new RegExp(source)];
      } catch (err) {
        problems.push({ path: ['domains', key, i], message: `is not a valid regular expression: ${(err as Error).message}` });
        return [];
      }
    });

  let uri: ParsedUri = parseUri('test:///default');
  try {
    uri = parseUri(raw.uri);
  } catch (err) {
    problems.push({ path: ['uri'], message: (err as Error).message });
  }

  const collectors: Partial<Record<CollectorName, ResolvedCollector>> = {};
  for (const name of COLLECTOR_NAMES) {
    const block = raw.collectors[name];
    if (block === undefined) continue;
    collectors[name] = {
      ...(block.enabled === undefined ? {} : { enabled: block.enabled }),
      ...(block.interval === undefined ? {} : { intervalMs: ms(block.interval, ['collectors', name, 'interval']) }),
      ...(block.cron === undefined ? {} : { cron: block.cron }),
    };
  }

  const c = raw.collection;
  const domainTimeoutMs = ms(c.domainTimeout, ['collection', 'domainTimeout']);
  const intervalMs = ms(c.interval, ['collection', 'interval']);
  if (intervalMs > 0 && intervalMs < 100) problems.push({ path: ['collection', 'interval'], message: 'must be at least 100ms' });
  const config: ResolvedConfig = {
    uri,
    log: raw.log,
    paths: raw.paths,
    collection: {
      intervalMs,
      ...(c.cron === undefined ? {} : { cron: c.cron }),
      jitterMs: ms(c.jitter, ['collection', 'jitter']),
      domainTimeoutMs,
      startupErrorBehavior: c.startupErrorBehavior,
    },
    collectors,
    domains: {
      include: regexes(raw.domains.include, 'include'),
      exclude: regexes(raw.domains.exclude, 'exclude'),
      includeInactive: raw.domains.includeInactive,
    },
    http: raw.http,
    api: raw.api,
    metrics: raw.metrics,
    otel: resolveOtelBlock(raw.otel, problems),
    snmp: raw.snmp,
    alerts: resolveAlertsBlock(raw.alerts, (path, message) => { problems.push({ path, message }); }),
    remote: resolveRemote(raw.remote, problems),
    agent: { ...(raw.agent.runDir === undefined ? {} : { runDir: raw.agent.runDir }), driver: raw.agent.driver as Readonly<Record<string, unknown>>, stopTimeoutMs: ms(raw.agent.stopTimeout, ['agent', 'stopTimeout']) },
  };
  return { config, problems };
}
