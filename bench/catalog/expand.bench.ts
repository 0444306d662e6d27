/**
 * Cost of turning samples into series at scale (not a test; numbers go in the report / bench/RESULTS.md).
 *
 *   node --import tsx bench/catalog/expand.bench.ts [domains=1000] [vcpus=2] [disks=2] [nics=1] [rounds=60]
 *
 * Measures per full pass over all domains: cold plan builds, the steady-state cycle (plan match + evaluate
 * into reused arrays), the convenience expandDomain(), and a prototype Prometheus text render that caches
 * escaped label prefixes per plan (what src/exporters/prometheus could do).
 */
import { SeriesPlanner, evaluatePlan, expandDomain } from '../../src/catalog/expand.ts';
import type { PlanValues } from '../../src/catalog/expand.ts';
import { resolveCatalogOptions } from '../../src/catalog/options.ts';
import { buildPlan } from '../../src/catalog/plan.ts';
import type { SeriesPlan } from '../../src/catalog/plan.ts';
import { promType } from '../../src/catalog/types.ts';
import type { DomainDef } from '../../src/domain/def.ts';
import type { DomainSample } from '../../src/domain/sample.ts';
import { activeSample, syntheticDef } from '../../test/helpers/catalog-sample.ts';

const [domains = 1000, vcpus = 2, disks = 2, nics = 1, rounds = 60] = process.argv.slice(2).map(Number);

const options = resolveCatalogOptions();
const defs: DomainDef[] = [];
for (let i = 0; i < domains; i++) {
  const n = String(i).padStart(5, '0');
  defs.push(syntheticDef({ name: `vm${n}`, uuid: `00000000-0000-0000-0000-0000000${n}`, vcpus, disks, nics }));
}
// Two generations of samples: same shape, different values and fresh Map objects, as each cycle produces.
const gens: DomainSample[][] = [1n, 2n].map((seed) => defs.map((d) => activeSample(d, seed)));

function time(label: string, fn: (round: number) => void): void {
  for (let r = 0; r < 5; r++) fn(r); // warm-up
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn(r);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;
  const perDomain = (q(ms, 0.5) * 1000) / domains;
  // Wall time suffers from other processes on a busy host; CPU time (all threads, GC included) less so.
  console.log(`${label.padEnd(40)} wall median ${q(ms, 0.5).toFixed(1).padStart(6)} ms p99 ${q(ms, 0.99).toFixed(1).padStart(6)} ms | cpu median ${q(cpu, 0.5).toFixed(1).padStart(6)} ms p99 ${q(cpu, 0.99).toFixed(1).padStart(6)} ms | ${perDomain.toFixed(1)} µs/domain`);
}

// Prometheus text-format escaping of a label value.
const esc = (v: string): string => (/[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v);

/** Per-plan rendered `name{labels} ` prefixes, built once per plan (plans are immutable). */
const prefixes = new WeakMap<SeriesPlan, string[]>();
function prefixesOf(plan: SeriesPlan): string[] {
  let p = prefixes.get(plan);
  if (p === undefined) {
    p = plan.slots.map((s) => {
      const labels = s.metric.labelNames.map((l, i) => `${l}="${esc(s.labelValues[i] ?? '')}"`).join(',');
      return labels === '' ? `${s.metric.name} ` : `${s.metric.name}{${labels}} `;
    });
    prefixes.set(plan, p);
  }
  return p;
}

/** The exporter's per-cycle render: families in order, all domains per family, only present series. */
function render(plans: readonly SeriesPlan[], values: readonly PlanValues[]): string {
  const fams = options.domainFamilies;
  let out = '';
  for (let f = 0; f < fams.length; f++) {
    const m = fams[f];
    if (m === undefined) continue;
    out += `# HELP ${m.name} ${m.help}\n# TYPE ${m.name} ${promType(m)}\n`;
    for (let d = 0; d < plans.length; d++) {
      const plan = plans[d] as SeriesPlan;
      const v = values[d] as PlanValues;
      const pre = prefixesOf(plan);
      for (let i = plan.familyStart[f] as number, end = plan.familyStart[f + 1] as number; i < end; i++) {
        if (v.present[i] === 1) out += `${pre[i]}${v.values[i]}\n`;
      }
    }
  }
  return out;
}

const series = expandDomain(gens[0]?.[0] as DomainSample, defs[0] as DomainDef, options).length;
console.log(`${domains} domains × ${series} series = ${domains * series} series (V=${vcpus} D=${disks} I=${nics}), ${rounds} rounds, node ${process.version}`);

time('cold: buildPlan for every domain', () => {
  for (let d = 0; d < domains; d++) buildPlan(gens[0]?.[d] as DomainSample, defs[d] as DomainDef, options);
});

const planner = new SeriesPlanner(options);
const plans: SeriesPlan[] = [];
const values: PlanValues[] = [];
time('cycle: planner.plan (reuse) + evaluatePlan', (r) => {
  const gen = gens[r % 2] as DomainSample[];
  for (let d = 0; d < domains; d++) {
    const plan = planner.plan(gen[d] as DomainSample, defs[d] as DomainDef);
    plans[d] = plan;
    values[d] = evaluatePlan(plan, gen[d] as DomainSample, values[d]);
  }
});
console.log(`  plans built over ${rounds + 5} cycles: ${planner.builds} (one per domain means full reuse)`);

time('convenience: expandDomain for every domain', (r) => {
  const gen = gens[r % 2] as DomainSample[];
  for (let d = 0; d < domains; d++) expandDomain(gen[d] as DomainSample, defs[d] as DomainDef, options);
});

let bytes = 0;
time('render: exposition of all series to a Buffer', () => {
  bytes = Buffer.from(render(plans, values), 'utf8').length;
});
console.log(`  rendered ${(bytes / 1e6).toFixed(1)} MB of exposition text`);
