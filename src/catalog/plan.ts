/**
 * The series plan: for one domain, every series the catalog can emit, with its label values fixed and a
 * reader that fetches its value from a sample. A plan depends only on the definition (object identity),
 * the options, the domain's name, activity and state code, and the sample's device shape (block.N.name,
 * net.N.name, the vCPU indices) — not on values. So it is built when one of those changes and reused
 * every cycle in between: a cycle costs one {@link planMatches} (a few Map lookups per device) plus one
 * {@link evaluatePlan} (one Map lookup and a conversion per series).
 *
 * Slots are grouped by family in `options.domainFamilies` order (`familyStart` is a CSR index), so an
 * exporter renders a family's series across all domains without sorting, and can cache per-slot rendered
 * label prefixes keyed by the plan object (a WeakMap), since a plan's label values never change.
 */
import type { DiskDef, DomainDef } from '../domain/def.ts';
import type { DomainSample, SampleFields } from '../domain/sample.ts';
import { INFO_LABELS } from './info-labels.ts';
import type { InfoContext, PlanDisk, PlanNic } from './info-labels.ts';
import { cleanLabelValue } from './label-value.ts';
import { metadataLabelValues } from './metadata-labels.ts';
import { METADATA_INFO } from './metrics.ts';
import type { ResolvedCatalogOptions } from './options.ts';
import type { MetricDef } from './types.ts';

/** How a slot gets its value from a sample. */
export type SlotReader =
  | { readonly kind: 'field'; readonly key: string }
  /** A field with a fallback (balloon.maximum → the definition's <memory>, KiB). */
  | { readonly kind: 'fieldOr'; readonly key: string; readonly fallback: number }
  /** The plan's state code (state.state, else the sample's state). */
  | { readonly kind: 'state' }
  /** Info metrics: value 1. */
  | { readonly kind: 'one' }
  | { readonly kind: 'flag'; readonly flag: 'timedOut' | 'cached' | 'lastSuccess' }
  | { readonly kind: 'usedPercent' };

/** One series of a plan. */
export interface SeriesSlot {
  /** Index into `options.domainFamilies`. */
  readonly family: number;
  readonly metric: MetricDef;
  /** Raw label values aligned with `metric.labelNames` (not escaped). */
  readonly labelValues: readonly string[];
  readonly reader: SlotReader;
}

/** A device of the sample: its index N and target name (undefined when the sample has none). */
interface DeviceShape {
  readonly count: unknown;
  readonly nameKeys: readonly string[];
  readonly names: readonly unknown[];
  /** `block.<count>.name`: must stay absent. */
  readonly endKey: string;
}

/** One domain's series plan. */
export interface SeriesPlan {
  readonly options: ResolvedCatalogOptions;
  readonly def: DomainDef;
  readonly domain: string;
  readonly uuid: string;
  readonly active: boolean;
  readonly stateCode: number;
  readonly slots: readonly SeriesSlot[];
  /** Slots of family f are `slots[familyStart[f] .. familyStart[f+1])`. */
  readonly familyStart: Uint32Array;
  /** Shape signature (see {@link planMatches}). */
  readonly blockShape: DeviceShape;
  readonly netShape: DeviceShape;
  readonly vcpuCurrent: unknown;
  /** A key of the highest vCPU index (must stay present) and keys of the next index (must stay absent). */
  readonly vcpuProbe: string | undefined;
  readonly vcpuEndProbe: readonly string[];
}

/** inovex's state_desc strings (metrics.md §2). */
export const STATE_DESC: readonly string[] = [
  'no state', 'the domain is running', 'the domain is blocked on resource', 'the domain is paused by user',
  'the domain is being shut down', 'the domain is shut off', 'the domain is crashed',
  'the domain is suspended by guest power management',
];

const SKIPPED_DISK_DEVICES = new Set(['cdrom', 'floppy']);

/** The state code a plan is built for: `state.state` when the sample has it, else the sample's state. */
export function stateCodeOf(sample: DomainSample): number {
  const v = sample.fields.get('state.state');
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : sample.state;
}

function deviceShape(fields: SampleFields, prefix: 'block' | 'net'): DeviceShape {
  const count = fields.get(`${prefix}.count`);
  let n = typeof count === 'number' || typeof count === 'bigint' ? Number(count) : 0;
  while (fields.has(`${prefix}.${n}.name`)) n++;
  const nameKeys: string[] = [];
  const names: unknown[] = [];
  for (let i = 0; i < n; i++) {
    nameKeys.push(`${prefix}.${i}.name`);
    names.push(fields.get(`${prefix}.${i}.name`));
  }
  return { count, nameKeys, names, endKey: `${prefix}.${n}.name` };
}

function shapeMatches(fields: SampleFields, shape: DeviceShape, prefix: string): boolean {
  if (fields.get(`${prefix}.count`) !== shape.count || fields.has(shape.endKey)) return false;
  for (let i = 0; i < shape.nameKeys.length; i++) {
    if (fields.get(shape.nameKeys[i] as string) !== shape.names[i]) return false;
  }
  return true;
}

/** vCPU indices present in the sample (`vcpu.N.*`), ascending (gaps are possible after hot-unplug), each
 * with the first key seen for it (the probe that says the index is still there). */
function vcpuIndices(fields: SampleFields): Map<number, string> {
  const seen = new Map<number, string>();
  for (const key of fields.keys()) {
    if (!key.startsWith('vcpu.')) continue;
    const dot = key.indexOf('.', 5);
    if (dot < 0 || key.length === dot + 1) continue;
    const n = Number(key.slice(5, dot));
    if (Number.isInteger(n) && n >= 0 && !seen.has(n)) seen.set(n, key);
  }
  return new Map([...seen].sort((a, b) => a[0] - b[0]));
}

const VCPU_SUFFIXES = ['state', 'time', 'wait', 'delay', 'cpu'] as const;

/** A device series target: index N in the sample and its label value. */
interface ValueDevice {
  readonly index: number;
  readonly label: string;
}

/**
 * Devices with a name, in sample order; repeated names skipped (a backing chain reports one target more
 * than once), and for disks the cdrom/floppy ones (by the definition's `device`).
 */
function valueDevices(shape: DeviceShape, byTarget: ReadonlyMap<string, DiskDef> | undefined): ValueDevice[] {
  const out: ValueDevice[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < shape.names.length; index++) {
    const name = shape.names[index];
    if (typeof name !== 'string' || name === '' || seen.has(name)) continue;
    const d = byTarget?.get(name);
    if (d !== undefined && SKIPPED_DISK_DEVICES.has(d.device)) continue;
    seen.add(name);
    out.push({ index, label: cleanLabelValue(name) });
  }
  return out;
}

const STATE_READER: SlotReader = { kind: 'state' };
const ONE_READER: SlotReader = { kind: 'one' };
const USED_PERCENT_READER: SlotReader = { kind: 'usedPercent' };

function flagOf(source: string): 'timedOut' | 'cached' | 'lastSuccess' {
  switch (source) {
    case 'flags.timedOut': return 'timedOut';
    case 'flags.cached': return 'cached';
    case 'flags.lastSuccess': return 'lastSuccess';
    default: throw new TypeError(`unknown flag source ${source}`);
  }
}

/** Builds the plan for a sample and its definition. Inactive domains get only the D7 families. */
export function buildPlan(sample: DomainSample, def: DomainDef, options: ResolvedCatalogOptions): SeriesPlan {
  const fields = sample.fields;
  const domain = cleanLabelValue(sample.name);
  const stateCode = stateCodeOf(sample);
  const blockShape = deviceShape(fields, 'block');
  const netShape = deviceShape(fields, 'net');
  const vcpuMap = vcpuIndices(fields);
  const vcpus = [...vcpuMap.keys()];
  const top = vcpus.length === 0 ? -1 : (vcpus[vcpus.length - 1] as number);
  const byTarget = new Map(def.devices.disks.map((d) => [d.target.dev, d]));
  const disks = valueDevices(blockShape, byTarget);
  const nics = valueDevices(netShape, undefined);
  const info: InfoContext = {
    domain,
    uuid: sample.uuid,
    def,
    disks: def.devices.disks
      .filter((d) => !SKIPPED_DISK_DEVICES.has(d.device) && d.target.dev !== '')
      .map((d): PlanDisk => ({ target: d.target.dev, def: d })),
    nics: def.devices.interfaces
      .map((n, i): PlanNic | undefined => {
        const live = netShape.names[i];
        const target = n.targetDev ?? (typeof live === 'string' ? live : undefined);
        return target === undefined || target === '' ? undefined : { target, def: n };
      })
      .filter((n): n is PlanNic => n !== undefined),
  };

  const slots: SeriesSlot[] = [];
  const families = options.domainFamilies;
  const familyStart = new Uint32Array(families.length + 1);
  const emit = sample.active || options.includeInactive;
  for (let family = 0; family < families.length; family++) {
    familyStart[family] = slots.length;
    const m = families[family] as MetricDef;
    if (!emit || (!sample.active && m.domains !== 'all')) continue;
    switch (m.sourceKind) {
      case 'field':
        if (m.name === 'libvirt_domain_info_state') {
          slots.push({ family, metric: m, labelValues: [domain, STATE_DESC[stateCode] ?? 'unknown'], reader: STATE_READER });
        } else if (m.fallback === 'definition.memory') {
          slots.push({ family, metric: m, labelValues: [domain], reader: { kind: 'fieldOr', key: m.source, fallback: def.memoryKiB } });
        } else {
          slots.push({ family, metric: m, labelValues: [domain], reader: { kind: 'field', key: m.source } });
        }
        break;
      case 'device': {
        const block = m.source.startsWith('block.');
        const prefix = block ? 'block.' : 'net.';
        const suffix = m.source.slice(prefix.length + 1);
        for (const d of block ? disks : nics) {
          slots.push({ family, metric: m, labelValues: [domain, d.label], reader: { kind: 'field', key: `${prefix}${d.index}${suffix}` } });
        }
        break;
      }
      case 'vcpu': {
        const suffix = m.source.slice('vcpu.N'.length);
        for (const n of vcpus) slots.push({ family, metric: m, labelValues: [domain, String(n)], reader: { kind: 'field', key: `vcpu.${n}${suffix}` } });
        break;
      }
      case 'derived':
        slots.push({ family, metric: m, labelValues: [domain], reader: USED_PERCENT_READER });
        break;
      case 'flag':
        slots.push({ family, metric: m, labelValues: [domain], reader: { kind: 'flag', flag: flagOf(m.source) } });
        break;
      case 'definition': {
        if (m.name === METADATA_INFO) {
          slots.push({ family, metric: m, labelValues: [domain, ...metadataLabelValues(def, options.metadataLabels)], reader: ONE_READER });
          break;
        }
        const rows = INFO_LABELS.get(m.name);
        if (rows === undefined) throw new TypeError(`no label source for info metric ${m.name}`);
        for (const labelValues of rows(info)) slots.push({ family, metric: m, labelValues, reader: ONE_READER });
        break;
      }
      case 'pool':
      case 'agent':
        break;
    }
  }
  familyStart[families.length] = slots.length;
  return {
    options, def, domain: sample.name, uuid: sample.uuid, active: sample.active, stateCode, slots, familyStart,
    blockShape, netShape,
    vcpuCurrent: fields.get('vcpu.current'),
    vcpuProbe: top < 0 ? undefined : vcpuMap.get(top),
    vcpuEndProbe: VCPU_SUFFIXES.map((x) => `vcpu.${top + 1}.${x}`),
  };
}

/** True when the plan still describes this sample (same definition object, options, shape and state). */
export function planMatches(plan: SeriesPlan, sample: DomainSample, def: DomainDef, options: ResolvedCatalogOptions): boolean {
  if (plan.def !== def || plan.options !== options || plan.active !== sample.active || plan.domain !== sample.name) return false;
  if (plan.stateCode !== stateCodeOf(sample)) return false;
  const f = sample.fields;
  if (!shapeMatches(f, plan.blockShape, 'block') || !shapeMatches(f, plan.netShape, 'net')) return false;
  if (f.get('vcpu.current') !== plan.vcpuCurrent) return false;
  if (plan.vcpuProbe !== undefined && !f.has(plan.vcpuProbe)) return false;
  return !plan.vcpuEndProbe.some((k) => f.has(k));
}
