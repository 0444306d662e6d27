/**
 * The `otel` block: OTLP push of the snapshot (issue 7). Off by default. Every setting is optional so the
 * standard `OTEL_EXPORTER_OTLP_*` / `OTEL_METRIC_EXPORT_*` environment variables can fill what the file
 * leaves out; src/exporters/otel/settings.ts merges them (the file wins over the environment).
 */
import { Type, type Static } from 'typebox';
import { parseDuration } from '../duration.ts';
import { Block, Duration } from './common.ts';

/** OTLP transports (the values of OTEL_EXPORTER_OTLP_PROTOCOL). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;

const StringMap = (description: string) =>
  Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.String(), { description }));

/** The `otel` block's schema (every member optional but `enabled`, so the environment can fill them). */
export const OtelBlock = Block({
  enabled: Type.Boolean({ default: false, description: 'push metrics over OTLP' }),
  protocol: Type.Optional(Type.Enum([...OTLP_PROTOCOLS], { description: 'default: env, else http/protobuf' })),
  endpoint: Type.Optional(Type.String({
    pattern: '^https?://', description: 'full URL; http(s) paths are used as given (default http://localhost:4318/v1/metrics, grpc :4317)',
  })),
  headers: StringMap('extra request headers (added to OTEL_EXPORTER_OTLP_HEADERS; these win)'),
  compression: Type.Optional(Type.Enum(['gzip', 'none'], { description: 'default: env, else none' })),
  interval: Type.Optional(Duration('time between exports (default: env, else 60s)')),
  timeout: Type.Optional(Duration('deadline of one export including retries (default: env, else 10s; at most interval)')),
  temporality: Type.Optional(Type.Enum(['cumulative', 'delta'], { description: 'sums as running totals or per-interval changes' })),
  resourceAttributes: StringMap('extra resource attributes (added to OTEL_RESOURCE_ATTRIBUTES; these win)'),
  metadataAttributes: Type.Boolean({
    default: false, description: 'add metrics.metadataLabels as libvirt.domain.metadata.<label> attributes to every domain point',
  }),
}, 'OpenTelemetry (OTLP) metric push');

/** The block as validated. */
export type RawOtelBlock = Static<typeof OtelBlock>;

/** The block with durations in ms; unset members stay unset so the environment can fill them. */
export interface ResolvedOtelBlock {
  readonly enabled: boolean;
  readonly protocol?: (typeof OTLP_PROTOCOLS)[number];
  readonly endpoint?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly compression?: 'gzip' | 'none';
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly temporality?: 'cumulative' | 'delta';
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  /** Default false. */
  readonly metadataAttributes?: boolean;
}

/** Converts durations; problems are pushed with their key path (resolve.ts's convention). */
export function resolveOtelBlock(
  raw: RawOtelBlock, problems: { path: (string | number)[]; message: string }[],
): ResolvedOtelBlock {
  const ms = (key: 'interval' | 'timeout'): number | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    const parsed = parseDuration(value);
    if (parsed === undefined || parsed <= 0) {
      problems.push({ path: ['otel', key], message: `must be a positive duration (got ${JSON.stringify(value)})` });
      return undefined;
    }
    return parsed;
  };
  const intervalMs = ms('interval');
  const timeoutMs = ms('timeout');
  return {
    enabled: raw.enabled,
    ...(raw.protocol === undefined ? {} : { protocol: raw.protocol }),
    ...(raw.endpoint === undefined ? {} : { endpoint: raw.endpoint }),
    ...(raw.headers === undefined ? {} : { headers: raw.headers }),
    ...(raw.compression === undefined ? {} : { compression: raw.compression }),
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(raw.temporality === undefined ? {} : { temporality: raw.temporality }),
    ...(raw.resourceAttributes === undefined ? {} : { resourceAttributes: raw.resourceAttributes }),
    ...(raw.metadataAttributes ? { metadataAttributes: true } : {}),
  };
}
