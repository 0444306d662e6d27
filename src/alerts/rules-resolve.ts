/**
 * Semantic checks of a schema-valid rules file: the metric is a per-domain catalog row, label matchers
 * name its labels, regexes compile, bounds make sense, and every webhook/exec an action names exists.
 * Problems are collected with their key path (the loader turns paths into lines), never thrown one by one.
 */
import { resolveMetadataLabels } from '../catalog/metadata-labels.ts';
import { METRICS_BY_NAME } from '../catalog/metrics.ts';
import { parseDuration } from '../config/duration.ts';
import type { RawRule, RawRulesFile } from './rule-schema.ts';
import type { Bounds } from './thresholds.ts';
import type { ExecTarget, Severity, WebhookTarget } from '../actions/notify/types.ts';
import type { DomainSelector, LabelMatcher, ResolvedRule, RuleAction, RuleSet } from './rules.ts';

/** A problem at a key path. */
export interface RuleProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

type Path = (string | number)[];

/** Resolves a validated file; problems are returned, not thrown. */
export function resolveRules(raw: RawRulesFile, file: string): { set: RuleSet; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const problem = (path: Path, message: string): void => { problems.push({ path, message }); };
  const ms = (v: number | string, path: Path): number => {
    const out = parseDuration(v);
    if (out === undefined) problem(path, `is not a duration (got ${JSON.stringify(v)})`);
    return out ?? 0;
  };
  const regex = (source: string, path: Path): RegExp | undefined => {
    try {
      return new RegExp(source);
    } catch (err) {
      problem(path, `is not a valid regular expression: ${(err as Error).message}`);
      return undefined;
    }
  };

  const webhooks = new Map<string, WebhookTarget>();
  for (const [name, w] of Object.entries(raw.webhooks)) {
    webhooks.set(name, { name, url: w.url, timeoutMs: ms(w.timeout, ['webhooks', name, 'timeout']), retries: w.retries, headers: w.headers });
  }
  const exec = new Map<string, ExecTarget>();
  for (const [name, e] of Object.entries(raw.exec)) {
    exec.set(name, {
      name, argv: e.argv, timeoutMs: ms(e.timeout, ['exec', name, 'timeout']), allowRoot: e.allowRoot, format: e.format,
      ...(e.user === undefined ? {} : { uid: e.user }), ...(e.group === undefined ? {} : { gid: e.group }),
    });
  }

  const seen = new Set<string>();
  const rules: ResolvedRule[] = [];
  raw.rules.forEach((r, i) => {
    const at = (...rest: Path): Path => ['rules', i, ...rest];
    if (seen.has(r.name)) problem(at('name'), `rule '${r.name}' is defined twice`);
    seen.add(r.name);
    const resolved = resolveRule(r, at, { problem, ms, regex, webhooks, exec });
    if (resolved !== undefined) rules.push(resolved);
  });
  return { set: { file, rules, webhooks, exec }, problems };
}

interface Helpers {
  readonly problem: (path: Path, message: string) => void;
  readonly ms: (v: number | string, path: Path) => number;
  readonly regex: (source: string, path: Path) => RegExp | undefined;
  readonly webhooks: ReadonlyMap<string, WebhookTarget>;
  readonly exec: ReadonlyMap<string, ExecTarget>;
}

function resolveRule(r: RawRule, at: (...rest: Path) => Path, h: Helpers): ResolvedRule | undefined {
  const metric = METRICS_BY_NAME.get(r.metric);
  if (metric === undefined || metric.domains === 'host' || metric.group === 'compat' || !metric.labelNames.includes('domain')) {
    h.problem(at('metric'), metric === undefined
      ? `unknown metric '${r.metric}' (see docs/metrics.md)`
      : metric.group === 'compat' ? `'${r.metric}' is a compatibility alias; use the libvirt_domain_* name` : `'${r.metric}' is not a per-domain metric`);
    return undefined;
  }
  const labels: LabelMatcher[] = [];
  for (const [label, want] of Object.entries(r.labels ?? {})) {
    const index = metric.labelNames.indexOf(label);
    if (index < 0 || label === 'domain') {
      h.problem(at('labels', label), `'${r.metric}' has no label '${label}' (labels: ${metric.labelNames.filter((l) => l !== 'domain').join(', ') || 'none'}); select domains under domains:`);
      continue;
    }
    const re = want.length > 2 && want.startsWith('/') && want.endsWith('/') ? h.regex(want.slice(1, -1), at('labels', label)) : undefined;
    labels.push({ label, index, test: re === undefined ? (v) => v === want : (v) => re.test(v) });
  }
  const domains = selector(r, at, h);
  const bounds = (b: Bounds | undefined, key: string): Bounds => {
    if (b?.min !== undefined && b.max !== undefined && b.min > b.max) h.problem(at(key, 'min'), `must not be greater than ${key}.max (${b.max})`);
    return b ?? {};
  };
  const warning = bounds(r.warning, 'warning');
  const failure = bounds(r.failure, 'failure');
  if (warning.min === undefined && warning.max === undefined && failure.min === undefined && failure.max === undefined) {
    h.problem(at(), `rule '${r.name}' sets no threshold (warning or failure min/max)`);
  }
  const actions = {} as Record<Severity, RuleAction[]>;
  for (const sev of ['failure', 'warning', 'okay'] as const) {
    actions[sev] = r.actions[sev].map((item, j): RuleAction => {
      if (typeof item === 'string') {
        return item === 'log' || item === 'trap' ? { kind: item } : { kind: 'domain', action: item };
      }
      if ('webhook' in item) {
        if (!h.webhooks.has(item.webhook)) h.problem(at('actions', sev, j, 'webhook'), `no webhook named '${item.webhook}' under webhooks:`);
        return { kind: 'webhook', name: item.webhook };
      }
      if (!h.exec.has(item.exec)) h.problem(at('actions', sev, j, 'exec'), `no exec hook named '${item.exec}' under exec:`);
      return { kind: 'exec', name: item.exec };
    });
  }
  return {
    name: r.name, metric, rate: r.rate ?? metric.type === 'counter', labels, domains,
    thresholds: { warning, failure, invert: r.invert, hysteresis: r.hysteresis },
    debounce: { forMs: h.ms(r.for, at('for')), hits: r.hits, persist: r.persist, persistOk: r.persistOk },
    interesting: r.interesting, dryRun: r.dryRun, resolve: r.resolve, actions,
  };
}

function selector(r: RawRule, at: (...rest: Path) => Path, h: Helpers): DomainSelector {
  const d = r.domains ?? {};
  const name = d.name === undefined ? undefined : h.regex(d.name, at('domains', 'name'));
  const exclude = d.exclude === undefined ? undefined : h.regex(d.exclude, at('domains', 'exclude'));
  const metadata: DomainSelector['metadata'][number][] = [];
  (d.metadata ?? []).forEach((m, j) => {
    const match = h.regex(m.match, at('domains', 'metadata', j, 'match'));
    try {
      const [label] = resolveMetadataLabels([{ label: `m${j}`, namespace: m.namespace, xpath: m.xpath }]);
      if (label !== undefined && match !== undefined) metadata.push({ label, match });
    } catch (err) {
      h.problem(at('domains', 'metadata', j, 'xpath'), (err as Error).message.replace(/^.*?: m\w*\[0\]\.\w+: /, ''));
    }
  });
  return { ...(name === undefined ? {} : { name }), ...(exclude === undefined ? {} : { exclude }), metadata };
}
