/**
 * Reading the standard OpenTelemetry environment variables (OTel spec "SDK environment variables" and
 * "OTLP exporter configuration"): the signal-specific `OTEL_EXPORTER_OTLP_METRICS_*` wins over the generic
 * `OTEL_EXPORTER_OTLP_*`. Values are checked here and a bad one is a VIRTMON_ERR_CONFIG naming the variable.
 */
import { VirtmonError } from '../../domain/errors.ts';

/** The environment as a plain map (process.env in the agent, a literal in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A config error naming the environment variable. */
export function envError(name: string, detail: string): VirtmonError {
  return new VirtmonError('VIRTMON_ERR_CONFIG', `environment ${name}: ${detail}`, { key: name });
}

/** The first non-empty value among `names`, with the name it came from. */
export function firstEnv(env: Env, ...names: string[]): { readonly name: string; readonly value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** `OTEL_EXPORTER_OTLP_METRICS_<suffix>` then `OTEL_EXPORTER_OTLP_<suffix>`. */
export function otlpEnv(env: Env, suffix: string): { readonly name: string; readonly value: string } | undefined {
  return firstEnv(env, `OTEL_EXPORTER_OTLP_METRICS_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`);
}

/** A positive integer of milliseconds (the spec's unit for every OTel duration variable). */
export function envMillis(env: Env, ...names: string[]): number | undefined {
  const found = firstEnv(env, ...names);
  if (found === undefined) return undefined;
  const n = Number(found.value);
  if (!Number.isInteger(n) || n <= 0) throw envError(found.name, `must be a positive integer of milliseconds (got ${JSON.stringify(found.value)})`);
  return n;
}

/**
 * A W3C-baggage-like list `key1=value1,key2=value2` with percent-encoded values, the format of
 * OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES.
 */
export function parseKeyValueList(name: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw envError(name, `expected key=value pairs separated by commas (got ${JSON.stringify(part.trim())})`);
    const key = part.slice(0, eq).trim();
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw envError(name, `value of ${key} is not valid percent-encoding`);
    }
    if (key === '') throw envError(name, 'empty key');
    out[key] = value;
  }
  return out;
}
