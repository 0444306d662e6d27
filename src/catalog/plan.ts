/**
 * The series plan: for one domain, every series the catalog can emit, with its label values fixed and a
 * field key or reader that fetches its value from a sample. A plan depends only on the definition (object identity),
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
import type { DomainSample } from '../domain/sample.ts';
import { INFO_LABELS } from './info-labels.ts';
import type { InfoContext, PlanDisk, PlanNic } from './info-labels.ts';
import { cleanLabelValue } from './label-value.ts';
import { metadataLabelValues } from './metadata-labels.ts';
import { METADATA_INFO } from './metrics.ts';
import type { ResolvedCatalogOptions } from './options.ts';
import { sampleShape, shapeMatches, stateCodeOf } from './plan-shape.ts';
import type { DeviceShape, SampleShape } from './plan-shape.ts';
import type { Conversion, MetricDef } from './types.ts';

/**
 * How a slot gets its raw value: a sample field (`key`), a field with a fallback (balloon.maximum → the
 * definition's <memory> KiB), the plan's state code, constant 1 (info metrics), an agent flag, or the
 * derived used_percent.
 */
export type SlotRead = 'field' | 'fieldOr' | 'state' | 'one' | 'timedOut' | 'cached' | 'lastSuccess' | 'usedPercent';

/**
 * One series of a plan. Every slot has the same fields in the same order (one hidden class), and carries
 * its conversion, so the per-cycle loop never touches the polymorphic catalog rows.
 */
export interface SeriesSlot {
  /** Index into `options.domainFamilies`. */
  readonly family: number;
  readonly metric: MetricDef;
  /** Raw label values aligned with `metric.labelNames` (not escaped). */
  readonly labelValues: readonly string[];
  readonly read: SlotRead;
  /** The sample field for `field` and `fieldOr`, else ''. */
  readonly key: string;
  /** The raw fallback for `fieldOr`, else 0. */
  readonly fallback: number;
  readonly conversion: Conversion;
}

function slot(family: number, metric: MetricDef, labelValues: readonly string[], read: SlotRead, key = '', fallback = 0): SeriesSlot {
  return { family, metric, labelValues, read, key, fallback, conversion: metric.conversion };
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
  /** The device shape the plan was built for (see {@link planMatches}). */
  readonly shape: SampleShape;
}

/** inovex's state_desc strings (metrics.md §2). */
export const STATE_DESC: readonly string[] = [
  'no state', 'the domain is running', 'the domain is blocked on resource', 'the domain is paused by user',
  'the domain is being shut down', 'the domain is shut off', 'the domain is crashed',
  'the domain is suspended by guest power management',
];

const SKIPPED_DISK_DEVICES = new Set(['cdrom', 'floppy']);

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


function flagOf(source: string): SlotRead {
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
  const shape = sampleShape(fields);
  const { blockShape, netShape, vcpus } = shape;
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
          slots.push(slot(family, m, [domain, STATE_DESC[stateCode] ?? 'unknown'], 'state'));
        } else if (m.fallback === 'definition.memory') {
          slots.push(slot(family, m, [domain], 'fieldOr', m.source, def.memoryKiB));
        } else {
          slots.push(slot(family, m, [domain], 'field', m.source));
        }
        break;
      case 'device': {
        const block = m.source.startsWith('block.');
        const prefix = block ? 'block.' : 'net.';
        const suffix = m.source.slice(prefix.length + 1);
        for (const d of block ? disks : nics) {
          slots.push(slot(family, m, [domain, d.label], 'field', `${prefix}${d.index}${suffix}`));
        }
        break;
      }
      case 'vcpu': {
        const suffix = m.source.slice('vcpu.N'.length);
        for (const n of vcpus) slots.push(slot(family, m, [domain, String(n)], 'field', `vcpu.${n}${suffix}`));
        break;
      }
      case 'derived':
        slots.push(slot(family, m, [domain], 'usedPercent'));
        break;
      case 'flag':
        slots.push(slot(family, m, [domain], flagOf(m.source)));
        break;
      case 'definition': {
        if (m.name === METADATA_INFO) {
          slots.push(slot(family, m, [domain, ...metadataLabelValues(def, options.metadataLabels)], 'one'));
          break;
        }
        const rows = INFO_LABELS.get(m.name);
        if (rows === undefined) throw new TypeError(`no label source for info metric ${m.name}`);
        for (const labelValues of rows(info)) slots.push(slot(family, m, labelValues, 'one'));
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
    shape,
  };
}

/** True when the plan still describes this sample (same definition object, options, shape and state). */
export function planMatches(plan: SeriesPlan, sample: DomainSample, def: DomainDef, options: ResolvedCatalogOptions): boolean {
  if (plan.def !== def || plan.options !== options || plan.active !== sample.active || plan.domain !== sample.name) return false;
  return plan.stateCode === stateCodeOf(sample) && shapeMatches(plan.shape, sample.fields);
}
