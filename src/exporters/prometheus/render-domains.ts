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
  /** Sample lines (UTF-8), each ending in a newline; never empty (families without series are left out). */
  readonly body: Buffer;
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

/**
 * A plan's escaped label prefixes, UTF-8 encoded once into one buffer; `views[i]` is slot i's part of it.
 * Keeping the views (not offsets) lets a line be one native `set()`: ~3× cheaper than a byte loop or
 * `Buffer#copy` per line at 85k series (bench/prometheus).
 */
interface PrefixTable {
  readonly views: readonly Buffer[];
}

/** Longest sample value text (`-1.7976931348623157e+308`) plus the newline, with room to spare. */
const VALUE_ROOM = 32;

/**
 * A growing output buffer. Sample lines are copied in as bytes (prefix bytes, then the value's ASCII
 * digits), so a render builds no per-line strings and no rope that must be flattened later.
 */
class Arena {
  buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 64 * 1024));
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  line(prefix: Buffer, value: number): void {
    this.ensure(prefix.length + VALUE_ROOM);
    const buf = this.buf;
    buf.set(prefix, this.pos);
    let pos = this.pos + prefix.length;
    const text = formatValue(value);
    for (let k = 0; k < text.length; k++) buf[pos++] = text.charCodeAt(k);
    buf[pos++] = 10;
    this.pos = pos;
  }
}

/** Renders snapshots; keeps plans, prefixes and value arrays between renders. One per plugin instance. */
export class DomainRenderer {
  readonly #options: ResolvedCatalogOptions;
  readonly #planner: SeriesPlanner;
  readonly #prefixes = new WeakMap<SeriesPlan, PrefixTable>();
  readonly #values = new WeakMap<SeriesPlan, PlanValues>();
  readonly #extras: HostExtras;
  /** Size of the last render, to size the next arena without regrowing. */
  #lastBytes = 0;

  constructor(options: ResolvedCatalogOptions, extras: HostExtras = {}) {
    this.#options = options;
    this.#planner = new SeriesPlanner(options);
    this.#extras = extras;
  }

  /** Plans built so far (stays flat while domains keep their shape). */
  get planBuilds(): number {
    return this.#planner.builds;
  }

  #prefixesOf(plan: SeriesPlan): PrefixTable {
    let p = this.#prefixes.get(plan);
    if (p === undefined) {
      const strings = plan.slots.map((s) => seriesPrefix(s.metric.name, s.metric.labelNames, s.labelValues));
      const bytes = Buffer.from(strings.join(''), 'utf8');
      let at = 0;
      const views = strings.map((str) => {
        const len = Buffer.byteLength(str, 'utf8');
        const v = bytes.subarray(at, at + len);
        at += len;
        return v;
      });
      p = { views };
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
    const tables: PrefixTable[] = [];
    const uuids = new Set<string>();
    for (const e of entries) {
      const plan = this.#planner.plan(e.sample, e.def);
      const v = evaluatePlan(plan, e.sample, this.#values.get(plan));
      this.#values.set(plan, v);
      plans.push(plan);
      values.push(v);
      tables.push(this.#prefixesOf(plan));
      uuids.add(e.sample.uuid);
      if (slicer.tick(plan.slots.length)) await slicer.pause();
    }
    this.#planner.retain(uuids);

    const arena = new Arena(this.#lastBytes + (this.#lastBytes >> 3));
    const ranges: Array<{ name: string; type: string; help: string; start: number; end: number }> = [];
    let series = 0;
    for (const s of expandHost({ up: health.up, domains: health.domainCount, ...this.#extras }, this.#options)) {
      const prefix = Buffer.from(seriesPrefix(s.metric.name, s.metric.labelNames, s.labelValues), 'utf8');
      const start = arena.pos;
      arena.line(prefix, s.value);
      ranges.push({ name: s.metric.name, type: promType(s.metric), help: s.metric.help, start, end: arena.pos });
      series++;
    }
    const domainFamilies = this.#options.domainFamilies;
    for (let f = 0; f < domainFamilies.length; f++) {
      const start = arena.pos;
      for (let d = 0; d < plans.length; d++) {
        const plan = plans[d] as SeriesPlan;
        const first = plan.familyStart[f] as number;
        const end = plan.familyStart[f + 1] as number;
        if (first === end) continue;
        const { values: vals, present } = values[d] as PlanValues;
        const { views } = tables[d] as PrefixTable;
        for (let i = first; i < end; i++) {
          if (present[i] !== 1) continue;
          arena.line(views[i] as Buffer, vals[i] as number);
          series++;
        }
        if (slicer.tick(end - first)) await slicer.pause();
      }
      const m = domainFamilies[f];
      if (arena.pos > start && m !== undefined) ranges.push({ name: m.name, type: promType(m), help: m.help, start, end: arena.pos });
    }
    this.#lastBytes = arena.pos;
    // Bodies are views into the final arena (it may have been regrown, so slice only now).
    const families = ranges.map((r): RenderedFamily => ({ name: r.name, type: r.type, help: r.help, body: arena.buf.subarray(r.start, r.end) }));
    return { version, families, series };
  }
}

/** The families of a render with the HELP/TYPE lines of `format`, as one buffer (no `# EOF`). */
export function assemble(rendered: RenderedDomains, format: ExpositionFormat): Buffer {
  const parts: Buffer[] = [];
  for (const f of rendered.families) parts.push(Buffer.from(familyHeader(f.name, f.type, f.help, format), 'utf8'), f.body);
  return Buffer.concat(parts);
}
