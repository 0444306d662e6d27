/**
 * Renders the domain series of one snapshot version through the metric catalog (metrics.md D13: a custom
 * render, not long-lived labelled gauges, so label sets of vanished domains or devices never linger).
 *
 * performance.md §4/§6.3: label prefixes (`name{domain="x",target_device="vda"} `) are built and escaped
 * once per series plan and kept in a WeakMap keyed by the plan, which the catalog reuses every cycle
 * until the definition, state or device shape changes; a render is then one Float64Array fill per domain
 * plus one string append per series. Families are rendered across all domains (family-major), as the
 * formats require, and the loop yields through a {@link Slicer}.
 */
import { expandHost } from '../../catalog/expand.ts';
import type { PlanValues } from '../../catalog/expand.ts';
import { SeriesPlanner, evaluatePlan } from '../../catalog/expand.ts';
import type { ResolvedCatalogOptions } from '../../catalog/options.ts';
import type { SeriesPlan } from '../../catalog/plan.ts';
import { promType } from '../../catalog/types.ts';
import type { SnapshotView } from '../../snapshot/types.ts';
import { familyHeader, formatValue, seriesPrefix } from './format.ts';
import type { ExpositionFormat } from './format.ts';
import type { Slicer } from './slicer.ts';

/** One family's rendered sample lines and what its header needs. */
export interface RenderedFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  /** Sample lines, each ending in a newline; never empty (families without series are left out). */
  readonly body: string;
}

/** A rendered snapshot version, format-independent; {@link assemble} adds the headers of a format. */
export interface RenderedDomains {
  readonly version: number;
  readonly families: readonly RenderedFamily[];
  readonly series: number;
}

/** Optional host-level values the snapshot does not carry (Tinkoff's `libvirt_versions_info`). */
export interface HostExtras {
  readonly versions?: { readonly hypervisor: string; readonly virtmon: string };
}

/** Renders snapshots; keeps plans, prefixes and value arrays between renders. One per plugin instance. */
export class DomainRenderer {
  readonly #options: ResolvedCatalogOptions;
  readonly #planner: SeriesPlanner;
  readonly #prefixes = new WeakMap<SeriesPlan, string[]>();
  readonly #values = new WeakMap<SeriesPlan, PlanValues>();
  readonly #extras: HostExtras;

  constructor(options: ResolvedCatalogOptions, extras: HostExtras = {}) {
    this.#options = options;
    this.#planner = new SeriesPlanner(options);
    this.#extras = extras;
  }

  /** Plans built so far (stays flat while domains keep their shape). */
  get planBuilds(): number {
    return this.#planner.builds;
  }

  #prefixesOf(plan: SeriesPlan): string[] {
    let p = this.#prefixes.get(plan);
    if (p === undefined) {
      p = plan.slots.map((s) => seriesPrefix(s.metric.name, s.metric.labelNames, s.labelValues));
      this.#prefixes.set(plan, p);
    }
    return p;
  }

  /**
   * Renders every series of the snapshot as it is now. Entries are taken at the start; a commit during the
   * (sliced) render does not mix cycles, since samples are immutable and replaced, never edited.
   */
  async render(snapshot: SnapshotView, slicer: Slicer): Promise<RenderedDomains> {
    const version = snapshot.version;
    const health = snapshot.health();
    const entries = [...snapshot.entries()];
    const plans: SeriesPlan[] = [];
    const values: PlanValues[] = [];
    const uuids = new Set<string>();
    for (const e of entries) {
      const plan = this.#planner.plan(e.sample, e.def);
      const v = evaluatePlan(plan, e.sample, this.#values.get(plan));
      this.#values.set(plan, v);
      plans.push(plan);
      values.push(v);
      uuids.add(e.sample.uuid);
      if (slicer.tick(plan.slots.length)) await slicer.pause();
    }
    this.#planner.retain(uuids);

    const families: RenderedFamily[] = [];
    let series = 0;
    for (const s of expandHost({ up: health.up, domains: health.domainCount, ...this.#extras }, this.#options)) {
      families.push({
        name: s.metric.name, type: promType(s.metric), help: s.metric.help,
        body: `${seriesPrefix(s.metric.name, s.metric.labelNames, s.labelValues)}${formatValue(s.value)}\n`,
      });
      series++;
    }
    const domainFamilies = this.#options.domainFamilies;
    for (let f = 0; f < domainFamilies.length; f++) {
      let body = '';
      for (let d = 0; d < plans.length; d++) {
        const plan = plans[d] as SeriesPlan;
        const start = plan.familyStart[f] as number;
        const end = plan.familyStart[f + 1] as number;
        if (start === end) continue;
        const { values: vals, present } = values[d] as PlanValues;
        const prefixes = this.#prefixesOf(plan);
        for (let i = start; i < end; i++) {
          if (present[i] === 1) {
            body += `${prefixes[i] as string}${formatValue(vals[i] as number)}\n`;
            series++;
          }
        }
        if (slicer.tick(end - start)) await slicer.pause();
      }
      if (body !== '') {
        const m = domainFamilies[f];
        if (m !== undefined) families.push({ name: m.name, type: promType(m), help: m.help, body });
      }
    }
    return { version, families, series };
  }
}

/** The families of a render with the HELP/TYPE lines of `format`, as one string (no `# EOF`). */
export function assemble(rendered: RenderedDomains, format: ExpositionFormat): string {
  const parts: string[] = [];
  for (const f of rendered.families) parts.push(familyHeader(f.name, f.type, f.help, format), f.body);
  return parts.join('');
}
