/**
 * The exporter's settings from the `otel` config block and the standard environment variables.
 *
 * Precedence, per setting: **the config file wins**, then the signal-specific variable
 * (`OTEL_EXPORTER_OTLP_METRICS_*`), then the generic one (`OTEL_EXPORTER_OTLP_*`), then the OTel default.
 * Headers and resource attributes are merged key by key in the same order (a config key replaces the
 * same key from the environment, other environment keys stay). The file wins because it is what the
 * operator wrote for this agent, while the environment is often inherited from a service manager;
 * programmatic options win over the environment in the OTel SDKs too. Only the config's
 * `otel.enabled` turns the exporter on: an OTEL_* variable alone never starts pushing.
 */
import type { ResolvedOtelBlock } from '../../config/blocks/otel.ts';
import { OTLP_PROTOCOLS } from '../../config/blocks/otel.ts';
import { envError, envMillis, firstEnv, otlpEnv, parseKeyValueList, type Env } from './env.ts';

/** An OTLP transport. */
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** Everything the exporter needs, complete. */
export interface OtelSettings {
  readonly protocol: OtlpProtocol;
  /** Full URL: the http(s) path is used as is; for grpc, scheme + host + port. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
  readonly intervalMs: number;
  /** Deadline of one export including its retries; never above the interval. */
  readonly timeoutMs: number;
  readonly temporality: 'cumulative' | 'delta';
  /** Extra resource attributes from OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME and the config. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** The configured timeout was larger than the interval and was lowered to it. */
  readonly timeoutClamped: boolean;
}

/** OTel defaults (OTLP exporter spec; OTEL_METRIC_EXPORT_INTERVAL). */
export const OTEL_DEFAULTS = {
  httpEndpoint: 'http://localhost:4318',
  grpcEndpoint: 'http://localhost:4317',
  intervalMs: 60_000,
  timeoutMs: 10_000,
} as const;

function protocolFrom(block: ResolvedOtelBlock, env: Env): OtlpProtocol {
  if (block.protocol !== undefined) return block.protocol;
  const found = otlpEnv(env, 'PROTOCOL');
  if (found === undefined) return 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(found.value)) {
    throw envError(found.name, `must be one of ${OTLP_PROTOCOLS.join(', ')} (got ${JSON.stringify(found.value)})`);
  }
  return found.value as OtlpProtocol;
}

function checkUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw envError(name, `is not a URL (got ${JSON.stringify(value)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw envError(name, `must be an http or https URL (got ${JSON.stringify(value)})`);
  return value;
}

/** The spec's rule: the signal variable is used as is; the generic one gets `v1/metrics` appended for HTTP. */
function urlFrom(block: ResolvedOtelBlock, env: Env, protocol: OtlpProtocol): string {
  if (block.endpoint !== undefined) return block.endpoint;
  const signal = firstEnv(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  if (signal !== undefined) return checkUrl(signal.name, signal.value);
  const generic = firstEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const base = generic === undefined
    ? (protocol === 'grpc' ? OTEL_DEFAULTS.grpcEndpoint : OTEL_DEFAULTS.httpEndpoint)
    : checkUrl(generic.name, generic.value);
  return protocol === 'grpc' ? base : `${base.replace(/\/+$/, '')}/v1/metrics`;
}

function compressionFrom(block: ResolvedOtelBlock, env: Env): 'gzip' | 'none' {
  if (block.compression !== undefined) return block.compression;
  const found = otlpEnv(env, 'COMPRESSION');
  if (found === undefined) return 'none';
  if (found.value !== 'gzip' && found.value !== 'none') throw envError(found.name, `must be gzip or none (got ${JSON.stringify(found.value)})`);
  return found.value;
}

function temporalityFrom(block: ResolvedOtelBlock, env: Env): 'cumulative' | 'delta' {
  if (block.temporality !== undefined) return block.temporality;
  const found = firstEnv(env, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE');
  if (found === undefined) return 'cumulative';
  switch (found.value.toLowerCase()) {
    case 'cumulative': return 'cumulative';
    case 'delta': return 'delta';
    // lowmemory asks for delta only on synchronous counters; every virtmon instrument is observed.
    case 'lowmemory': return 'cumulative';
    default: throw envError(found.name, `must be cumulative, delta or lowmemory (got ${JSON.stringify(found.value)})`);
  }
}

function headersFrom(block: ResolvedOtelBlock, env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS']) {
    const found = firstEnv(env, name);
    if (found !== undefined) Object.assign(out, parseKeyValueList(found.name, found.value));
  }
  return { ...out, ...block.headers };
}

function resourceFrom(block: ResolvedOtelBlock, env: Env): Record<string, string> {
  const found = firstEnv(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const out = found === undefined ? {} : parseKeyValueList(found.name, found.value);
  const service = firstEnv(env, 'OTEL_SERVICE_NAME');
  if (service !== undefined) out['service.name'] = service.value;
  return { ...out, ...block.resourceAttributes };
}

/**
 * Merges the block with the environment (see the module comment for the order); throws VIRTMON_ERR_CONFIG.
 * `defaultIntervalMs` replaces the OTel default of 60 s: the agent passes its collection interval, so each
 * cycle is pushed once (a shorter interval would resend the same snapshot, a longer one would skip cycles).
 */
export function resolveOtelSettings(block: ResolvedOtelBlock, env: Env, defaultIntervalMs: number = OTEL_DEFAULTS.intervalMs): OtelSettings {
  const protocol = protocolFrom(block, env);
  const intervalMs = block.intervalMs ?? envMillis(env, 'OTEL_METRIC_EXPORT_INTERVAL') ?? defaultIntervalMs;
  const wanted = block.timeoutMs
    ?? envMillis(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT')
    ?? OTEL_DEFAULTS.timeoutMs;
  // An export that may outlive the interval would overlap the next one; the SDK's reader clamps the
  // same way (PeriodicExportingMetricReader) but we pass both explicitly, so clamp here.
  const timeoutMs = Math.min(wanted, intervalMs);
  return {
    protocol,
    url: urlFrom(block, env, protocol),
    headers: headersFrom(block, env),
    compression: compressionFrom(block, env),
    intervalMs,
    timeoutMs,
    temporality: temporalityFrom(block, env),
    resourceAttributes: resourceFrom(block, env),
    timeoutClamped: timeoutMs < wanted,
  };
}
