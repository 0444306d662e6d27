/**
 * Turns samples into the series the catalog defines. Two ways in:
 *
 * - the fast path for exporters: a {@link SeriesPlanner} keeps one {@link SeriesPlan} per domain (rebuilt only
 *   when the definition, state or device shape changes) and {@link evaluatePlan} fills a Float64Array of
 *   values plus a presence mask per cycle; {@link readExact} gives the exact bigint for SNMP Counter64;
 * - {@link expandDomain} / {@link expandPool} / {@link expandHost}: plain lists of series for tests, the
 *   CLI and low-volume consumers.
 *
 * No value is ever NaN or ±Inf: absent or unusable fields leave the series out (D6).
 */
import type { DomainDef } from '../domain/def.ts';
import type { DomainSample, SampleFields, SampleValue } from '../domain/sample.ts';
import { convertExact, convertValue, rawBigint } from './convert.ts';
import { cleanLabelValue } from './label-value.ts';
import type { ResolvedCatalogOptions } from './options.ts';
import { buildPlan, planMatches } from './plan.ts';
import type { SeriesPlan, SeriesSlot } from './plan.ts';
import type { MetricDef } from './types.ts';

/** One cycle's values of a plan: `values[i]` is meaningful only when `present[i]` is 1. */
export interface PlanValues {
  readonly values: Float64Array;
  readonly present: Uint8Array;
}

/** One series as a plain object. */
export interface ExpandedSeries {
  readonly metric: MetricDef;
  /** Raw label values aligned with `metric.labelNames`. */
  readonly labelValues: readonly string[];
  readonly value: number;
  /** The exact converted value for integral conversions (id, code, KiB→B), else undefined. */
  readonly exact: bigint | undefined;
}

function usedPercent(fields: SampleFields): number | undefined {
  const available = convertValue(fields.get('balloon.available'), 'id');
  const usable = convertValue(fields.get('balloon.usable'), 'id');
  if (available === undefined || usable === undefined || !(available > 0)) return undefined;
  return ((available - usable) / available) * 100;
}

/** The native-unit value a slot reads (before conversion), or undefined when absent. */
export function readRaw(plan: SeriesPlan, slot: SeriesSlot, sample: DomainSample): SampleValue | undefined {
  switch (slot.read) {
    case 'field': return sample.fields.get(slot.key);
    case 'fieldOr': return sample.fields.get(slot.key) ?? slot.fallback;
    case 'state': return plan.stateCode;
    case 'one': return 1;
    // D7: an inactive domain's timed_out is 0 whatever the flag says.
    case 'timedOut': return plan.active && sample.flags.timedOut;
    case 'cached': return sample.flags.cached;
    case 'lastSuccess': return sample.flags.lastSuccess;
    case 'usedPercent': return usedPercent(sample.fields);
  }
}

/** The float64 value of one slot in the exported unit, or undefined when the series is absent this cycle. */
export function readValue(plan: SeriesPlan, slot: SeriesSlot, sample: DomainSample): number | undefined {
  return convertValue(readRaw(plan, slot, sample), slot.conversion);
}

/** The exact converted value (bigint) for integral conversions, e.g. for SNMP Counter64; else undefined. */
export function readExact(plan: SeriesPlan, slot: SeriesSlot, sample: DomainSample): bigint | undefined {
  return convertExact(readRaw(plan, slot, sample), slot.conversion);
}

/** The exact native-unit value (bigint), e.g. `cpu.time` in ns for libvirtGuestCpuTime. */
export function readRawExact(plan: SeriesPlan, slot: SeriesSlot, sample: DomainSample): bigint | undefined {
  return rawBigint(readRaw(plan, slot, sample));
}

/** Fills one cycle's values of a plan; pass `into` (same plan) to reuse its arrays. */
export function evaluatePlan(plan: SeriesPlan, sample: DomainSample, into?: PlanValues): PlanValues {
  const n = plan.slots.length;
  const out = into !== undefined && into.values.length === n ? into : { values: new Float64Array(n), present: new Uint8Array(n) };
  const { values, present } = out;
  for (let i = 0; i < n; i++) {
    const v = readValue(plan, plan.slots[i] as SeriesSlot, sample);
    if (v === undefined) {
      present[i] = 0;
      values[i] = 0;
    } else {
      present[i] = 1;
      values[i] = v;
    }
  }
  return out;
}

/**
 * Keeps one series plan per domain (by UUID) and rebuilds it only when {@link planMatches} says the
 * definition, options, state or device shape changed. Holds no values; one instance per exporter.
 */
export class SeriesPlanner {
  readonly #options: ResolvedCatalogOptions;
  readonly #plans = new Map<string, SeriesPlan>();
  #builds = 0;

  constructor(options: ResolvedCatalogOptions) {
    this.#options = options;
  }

  /** The current plan for a domain's sample, reused when it still matches. */
  plan(sample: DomainSample, def: DomainDef): SeriesPlan {
    const cached = this.#plans.get(sample.uuid);
    if (cached !== undefined && planMatches(cached, sample, def, this.#options)) return cached;
    const fresh = buildPlan(sample, def, this.#options);
    this.#builds++;
    this.#plans.set(sample.uuid, fresh);
    return fresh;
  }

  /** Drops plans of domains not in `uuids` (call once per cycle with the snapshot's domains). */
  retain(uuids: ReadonlySet<string>): void {
    for (const uuid of this.#plans.keys()) if (!uuids.has(uuid)) this.#plans.delete(uuid);
  }

  /** Number of plans built so far (reuse shows as builds not growing). */
  get builds(): number {
    return this.#builds;
  }

  /** Number of plans held. */
  get size(): number {
    return this.#plans.size;
  }
}

/** Every series of one domain as plain objects, in exposition order. */
export function expandDomain(sample: DomainSample, def: DomainDef, options: ResolvedCatalogOptions): ExpandedSeries[] {
  const plan = buildPlan(sample, def, options);
  const out: ExpandedSeries[] = [];
  for (const slot of plan.slots) {
    const raw = readRaw(plan, slot, sample);
    const value = convertValue(raw, slot.conversion);
    if (value === undefined) continue;
    out.push({ metric: slot.metric, labelValues: slot.labelValues, value, exact: convertExact(raw, slot.conversion) });
  }
  return out;
}

/** A storage pool's sample: its name and `pool.*` fields (native units). */
export interface PoolSample {
  readonly name: string;
  readonly fields: SampleFields;
  /** The last collection of the pool exceeded its budget. */
  readonly timedOut?: boolean;
}

/** Every series of one storage pool (`libvirt_storage_pool_*` and enabled pool aliases). */
export function expandPool(pool: PoolSample, options: ResolvedCatalogOptions): ExpandedSeries[] {
  const label = cleanLabelValue(pool.name);
  const out: ExpandedSeries[] = [];
  for (const m of options.poolFamilies) {
    const raw = m.sourceKind === 'flag' ? (pool.timedOut ?? false) : pool.fields.get(m.source);
    const value = convertValue(raw, m.conversion);
    if (value !== undefined) out.push({ metric: m, labelValues: [label], value, exact: convertExact(raw, m.conversion) });
  }
  return out;
}

/** What the agent knows about the host for the host-level families. */
export interface HostValues {
  /** The driver answered the last domain listing (D12). */
  readonly up: boolean;
  /** All domains, active and inactive. */
  readonly domains: number;
  /** For Tinkoff's `libvirt_versions_info`: the QEMU version and virtmon's. */
  readonly versions?: { readonly hypervisor: string; readonly virtmon: string };
}

/** Host-level series (`libvirt_up`, `libvirt_domains` and enabled aliases). */
export function expandHost(host: HostValues, options: ResolvedCatalogOptions): ExpandedSeries[] {
  const out: ExpandedSeries[] = [];
  for (const m of options.hostFamilies) {
    switch (m.name) {
      case 'libvirt_up':
        out.push({ metric: m, labelValues: [], value: host.up ? 1 : 0, exact: host.up ? 1n : 0n });
        break;
      case 'libvirt_domains':
      case 'libvirt_domains_number':
        out.push({ metric: m, labelValues: [], value: host.domains, exact: BigInt(host.domains) });
        break;
      case 'libvirt_versions_info':
        if (host.versions !== undefined) {
          const v = host.versions;
          out.push({
            metric: m, labelValues: [cleanLabelValue(v.hypervisor), cleanLabelValue(v.virtmon), cleanLabelValue(v.virtmon)],
            value: 1, exact: 1n,
          });
        }
        break;
      default:
        throw new TypeError(`no host value for ${m.name}`);
    }
  }
  return out;
}
