/**
 * Cost of one OTLP collection of the snapshot (not a test). Prints the steady-state catalog pass that
 * /metrics needs (plan match + evaluate) and the OTel producer's pass (the same plus attributes, sum state
 * and MetricData objects), and their ratio.
 *
 *   node --import tsx bench/otel/producer.bench.ts [domains=1000] [vcpus=2] [disks=2] [nics=1] [rounds=40]
 */
import { SeriesPlanner, evaluatePlan, type PlanValues } from '../../src/catalog/expand.ts';
import { resolveCatalogOptions } from '../../src/catalog/options.ts';
import type { SeriesPlan } from '../../src/catalog/plan.ts';
import { createSnapshotProducer } from '../../src/exporters/otel/producer.ts';
import { buildResource } from '../../src/exporters/otel/resource.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import { activeSample, syntheticDef } from '../../test/helpers/catalog-sample.ts';

const [domains = 1000, vcpus = 2, disks = 2, nics = 1, rounds = 40] = process.argv.slice(2).map(Number);
const catalog = resolveCatalogOptions();
const defs = Array.from({ length: domains }, (_, i) => {
  const n = String(i).padStart(5, '0');
  return syntheticDef({ name: `vm${n}`, uuid: `00000000-0000-0000-0000-0000000${n}`, vcpus, disks, nics });
});
const stores = [1n, 2n].map((seed) => {
  const s = new SnapshotStore();
  for (const def of defs) s.set({ sample: activeSample(def, seed), def, persistent: true });
  s.commit();
  return s;
});
// One view that flips between the two generations, as cycles do.
let gen = 0;
const view = {
  get version() { return gen; },
  entries: () => (stores[gen % 2] as SnapshotStore).entries(),
  get: (uuid: string) => (stores[gen % 2] as SnapshotStore).get(uuid),
  health: () => (stores[0] as SnapshotStore).health(),
  subscribe: () => () => undefined,
};

function time(label: string, fn: () => unknown): number {
  for (let r = 0; r < 5; r++) { gen++; fn(); }
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    gen++;
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  const median = [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)] ?? Number.NaN;
  console.log(`${label.padEnd(44)} cpu median ${median.toFixed(1).padStart(7)} ms | ${((median * 1000) / domains).toFixed(1)} µs/domain`);
  return median;
}

const planner = new SeriesPlanner(catalog);
const values = new Map<SeriesPlan, PlanValues>();
const base = time(`catalog pass (/metrics' part), ${domains} domains`, () => {
  for (const e of view.entries()) {
    const plan = planner.plan(e.sample, e.def);
    values.set(plan, evaluatePlan(plan, e.sample, values.get(plan)));
  }
});
const producer = createSnapshotProducer({
  snapshot: view, catalog, temporality: 'cumulative', version: 'bench', counts: { ok: 0, failed: 0, lastError: undefined },
  now: Date.now, resource: buildResource('bench', {}),
});
const otel = time('OTel producer collect (cumulative)', () => producer.collect());
const last = await producer.collect();
const points = last.resourceMetrics.scopeMetrics.reduce((n, s) => n + s.metrics.reduce((m, x) => m + x.dataPoints.length, 0), 0);
console.log(`points per collection: ${points}; tracked sum series: ${producer.trackedSeries}`);
console.log(`ratio OTel producer / catalog pass: ${(otel / base).toFixed(2)}`);
