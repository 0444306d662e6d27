/**
 * The official OTLP schema for test receivers: the opentelemetry-proto .proto files as published in
 * the npm package `@opentelemetry/otlp-grpc-exporter-base@0.38` (installed under the alias `otlp-protos`,
 * a devDependency; the last line that shipped them). Decoding uses protobufjs on those files, nothing
 * from the code under test, and flattens a request into plain points the tests compare.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);

/** Directory holding `opentelemetry/proto/...`. */
export const PROTO_DIR = join(dirname(require.resolve('otlp-protos/package.json')), 'build', 'protos');
/** The metrics service file, relative to {@link PROTO_DIR}. */
export const METRICS_SERVICE_PROTO = 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto';

/** One data point, flattened. */
export interface ReceivedPoint {
  readonly metric: string;
  readonly unit: string;
  readonly description: string;
  readonly kind: 'gauge' | 'sum' | 'other';
  /** Sums only. */
  readonly monotonic: boolean | undefined;
  /** 1 delta, 2 cumulative (AggregationTemporality); sums only. */
  readonly temporality: number | undefined;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** The AnyValue case of each attribute (`stringValue`, `intValue`, `doubleValue`, `boolValue`). */
  readonly attributeKinds: Readonly<Record<string, string>>;
  readonly value: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
}

/** One request, decoded. */
export interface ReceivedRequest {
  readonly transport: 'http/protobuf' | 'http/json' | 'grpc';
  readonly resource: Readonly<Record<string, string | number | boolean>>;
  readonly scopes: readonly string[];
  readonly points: readonly ReceivedPoint[];
  readonly headers: Readonly<Record<string, string>>;
}

/** Loads the schema once per caller (no module state: the caller keeps it). */
export function loadOtlpSchema(): { readonly request: protobuf.Type; readonly response: protobuf.Type } {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync(METRICS_SERVICE_PROTO);
  return {
    request: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
    response: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'),
  };
}

/** Options that turn a message into plain JS the same way for every transport. */
export const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String, defaults: true, oneofs: true };

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function anyValue(v: Obj | undefined): string | number | boolean {
  if (v === undefined) return '';
  switch (v['value']) {
    case 'stringValue': return String(v['stringValue']);
    case 'intValue': return Number(v['intValue']);
    case 'doubleValue': return Number(v['doubleValue']);
    case 'boolValue': return Boolean(v['boolValue']);
    default: return JSON.stringify(v);
  }
}

/** Key/value list → map. */
export function attributeMap(list: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of arr(list)) out[String(kv['key'])] = anyValue(kv['value'] as Obj | undefined);
  return out;
}

/** Key/value list → the AnyValue case of each key. */
export function attributeKinds(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of arr(list)) {
    const which = (kv['value'] as Obj | undefined)?.['value'];
    out[String(kv['key'])] = typeof which === 'string' ? which : 'none';
  }
  return out;
}

/** Flattens a decoded ExportMetricsServiceRequest (as plain object, {@link TO_OBJECT} options). */
export function flatten(transport: ReceivedRequest['transport'], req: Obj, headers: Record<string, string>): ReceivedRequest {
  const points: ReceivedPoint[] = [];
  const scopes: string[] = [];
  let resource: Record<string, string | number | boolean> = {};
  for (const rm of arr(req['resourceMetrics'])) {
    resource = attributeMap((rm['resource'] as Obj | undefined)?.['attributes']);
    for (const sm of arr(rm['scopeMetrics'])) {
      const scopeName = (sm['scope'] as Obj | undefined)?.['name'];
      scopes.push(typeof scopeName === 'string' ? scopeName : '');
      for (const m of arr(sm['metrics'])) {
        const which = m['data'];
        const data = (typeof which === 'string' ? m[which] : undefined) as Obj | undefined;
        const kind = which === 'gauge' || which === 'sum' ? which : 'other';
        for (const p of arr(data?.['dataPoints'])) {
          points.push({
            metric: String(m['name']), unit: String(m['unit']), description: String(m['description']), kind,
            monotonic: kind === 'sum' ? Boolean(data?.['isMonotonic']) : undefined,
            temporality: kind === 'sum' ? Number(data?.['aggregationTemporality']) : undefined,
            attributes: attributeMap(p['attributes']),
            attributeKinds: attributeKinds(p['attributes']),
            value: p['value'] === 'asInt' ? Number(p['asInt']) : Number(p['asDouble']),
            startNs: BigInt(String(p['startTimeUnixNano'])),
            endNs: BigInt(String(p['timeUnixNano'])),
          });
        }
      }
    }
  }
  return { transport, resource, scopes, points, headers };
}
