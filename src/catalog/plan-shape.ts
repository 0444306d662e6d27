/**
 * The part of a sample a series plan depends on besides the definition: the state code and the device
 * shape (block.N.name, net.N.name, the vCPU indices). Checking it costs a few Map lookups per device, so
 * a plan is reused every cycle until the shape really changes (hot-plug, rename, vCPU change).
 *
 * vCPU indices can have gaps after hot-unplug; a change of them always changes `vcpu.current`, so the
 * check is `vcpu.current`, the highest index still present and the next index still absent.
 */
import type { DomainSample, SampleFields } from '../domain/sample.ts';

/** Block or interface devices of a sample: `<prefix>.count` and each `<prefix>.N.name`. */
export interface DeviceShape {
  readonly count: unknown;
  readonly nameKeys: readonly string[];
  /** `<prefix>.N.name` values (undefined where the sample has none, e.g. hostdev NICs). */
  readonly names: readonly unknown[];
  /** `<prefix>.<n>.name` one past the end: must stay absent. */
  readonly endKey: string;
  readonly countKey: string;
}

/** Everything a plan's slot list depends on in the sample. */
export interface SampleShape {
  readonly blockShape: DeviceShape;
  readonly netShape: DeviceShape;
  /** vCPU indices present (`vcpu.N.*`), ascending. */
  readonly vcpus: readonly number[];
  readonly vcpuCurrent: unknown;
  /** A key of the highest vCPU index (must stay present). */
  readonly vcpuProbe: string | undefined;
  /** Keys of the index after the highest (must stay absent). */
  readonly vcpuEndProbe: readonly string[];
}

const VCPU_SUFFIXES = ['state', 'time', 'wait', 'delay', 'cpu'] as const;

/** The state code a plan is built for: `state.state` when the sample has it, else the sample's state. */
export function stateCodeOf(sample: DomainSample): number {
  const v = sample.fields.get('state.state');
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : sample.state;
}

function deviceShape(fields: SampleFields, prefix: 'block' | 'net'): DeviceShape {
  const countKey = `${prefix}.count`;
  const count = fields.get(countKey);
  let n = typeof count === 'number' || typeof count === 'bigint' ? Number(count) : 0;
  while (fields.has(`${prefix}.${n}.name`)) n++;
  const nameKeys: string[] = [];
  const names: unknown[] = [];
  for (let i = 0; i < n; i++) {
    nameKeys.push(`${prefix}.${i}.name`);
    names.push(fields.get(`${prefix}.${i}.name`));
  }
  return { count, countKey, nameKeys, names, endKey: `${prefix}.${n}.name` };
}

function deviceShapeMatches(shape: DeviceShape, fields: SampleFields): boolean {
  if (fields.get(shape.countKey) !== shape.count || fields.has(shape.endKey)) return false;
  for (let i = 0; i < shape.nameKeys.length; i++) {
    if (fields.get(shape.nameKeys[i] as string) !== shape.names[i]) return false;
  }
  return true;
}

/** vCPU indices present in the sample, ascending, each with the first key seen for it. */
function vcpuIndices(fields: SampleFields): Map<number, string> {
  const seen = new Map<number, string>();
  for (const key of fields.keys()) {
    if (!key.startsWith('vcpu.')) continue;
    const dot = key.indexOf('.', 5);
    if (dot <= 5 || key.length === dot + 1) continue;
    const n = Number(key.slice(5, dot));
    if (Number.isInteger(n) && n >= 0 && !seen.has(n)) seen.set(n, key);
  }
  return new Map([...seen].sort((a, b) => a[0] - b[0]));
}

/** The shape of a sample (computed when a plan is built). */
export function sampleShape(fields: SampleFields): SampleShape {
  const vcpuMap = vcpuIndices(fields);
  const vcpus = [...vcpuMap.keys()];
  const top = vcpus.length === 0 ? -1 : (vcpus[vcpus.length - 1] as number);
  return {
    blockShape: deviceShape(fields, 'block'),
    netShape: deviceShape(fields, 'net'),
    vcpus,
    vcpuCurrent: fields.get('vcpu.current'),
    vcpuProbe: top < 0 ? undefined : vcpuMap.get(top),
    vcpuEndProbe: VCPU_SUFFIXES.map((x) => `vcpu.${top + 1}.${x}`),
  };
}

/** True when the sample still has this shape. */
export function shapeMatches(shape: SampleShape, fields: SampleFields): boolean {
  if (!deviceShapeMatches(shape.blockShape, fields) || !deviceShapeMatches(shape.netShape, fields)) return false;
  if (fields.get('vcpu.current') !== shape.vcpuCurrent) return false;
  if (shape.vcpuProbe !== undefined && !fields.has(shape.vcpuProbe)) return false;
  for (const k of shape.vcpuEndProbe) if (fields.has(k)) return false;
  return true;
}
