/**
 * Cost of evaluating alert rules on every snapshot change (not a test; numbers go in the report).
 *
 *   node --import tsx bench/alerts/engine.bench.ts [domains=1000] [rules=10] [rounds=40]
 *
 * Each round commits a new sample for every domain (one collection cycle) and the engine evaluates
 * `rules` rules (half counter rates, half gauges, one with a per-disk label matcher) on each. Prints CPU
 * per cycle, per domain and per domain-rule, and the ratio to the catalog's own steady-state cost
 * (plan match + evaluate of all series), which every exporter pays anyway.
 */
import { AlertEngine } from '../../src/alerts/engine.ts';
import { parseRulesText } from '../../src/alerts/load-rules.ts';
import { SeriesPlanner, evaluatePlan, type PlanValues } from '../../src/catalog/expand.ts';
import { resolveCatalogOptions } from '../../src/catalog/options.ts';
import type { DomainSample } from '../../src/domain/sample.ts';
import { silentLogger } from '../../src/domain/logger.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import { activeSample, syntheticDef } from '../../test/helpers/catalog-sample.ts';

const [domains = 1000, ruleCount = 10, rounds = 40] = process.argv.slice(2).map(Number);

const metrics = [
  'libvirt_domain_info_cpu_time_seconds_total', 'libvirt_domain_memory_stats_rss_bytes',
  'libvirt_domain_interface_stats_receive_bytes_total', 'libvirt_domain_info_memory_usage_bytes',
  'libvirt_domain_block_stats_write_bytes_total',
];
let yaml = 'rules:\n';
for (let i = 0; i < ruleCount; i++) {
  const m = metrics[i % metrics.length] ?? metrics[0];
  yaml += `  - name: r${i}\n    metric: ${m}\n    failure: { max: 1e30 }\n    for: 30s\n`;
  if (m?.includes('block_stats')) yaml += "    labels: { target_device: '/^vd/' }\n";
}
const rules = parseRulesText(yaml, 'bench.yml');
const defs = Array.from({ length: domains }, (_, i) => {
  const n = String(i).padStart(5, '0');
  return syntheticDef({ name: `vm${n}`, uuid: `00000000-0000-0000-0000-0000000${n}`, vcpus: 2, disks: 2, nics: 1 });
});
const store = new SnapshotStore();
let notified = 0;
const engine = new AlertEngine({ snapshot: store, rules, intervalMs: 10_000, logger: silentLogger(), onNotify: () => { notified++; } });
await engine.start();

const samples = (round: number): DomainSample[] => defs.map((d) => {
  const s = activeSample(d, BigInt(round + 1));
  return { ...s, time: 1_700_000_000_000 + round * 10_000 };
});

const cpuOf = (fn: () => void): number => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e3;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const planner = new SeriesPlanner(resolveCatalogOptions());
const into = new Map<string, PlanValues>();
const engineMs: number[] = [];
const catalogMs: number[] = [];
for (let r = 0; r < rounds + 3; r++) {
  const gen = samples(r);
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i];
    const sample = gen[i];
    if (def !== undefined && sample !== undefined) store.set({ sample, def, persistent: true });
  }
  const e = cpuOf(() => { store.commit(); });
  const c = cpuOf(() => {
    for (let i = 0; i < defs.length; i++) {
      const def = defs[i];
      const sample = gen[i];
      if (def === undefined || sample === undefined) continue;
      const plan = planner.plan(sample, def);
      into.set(sample.uuid, evaluatePlan(plan, sample, into.get(sample.uuid)));
    }
  });
  if (r >= 3) { engineMs.push(e); catalogMs.push(c); }
}
const eMed = median(engineMs);
const cMed = median(catalogMs);
console.log(`domains ${domains}, rules ${ruleCount}, rounds ${rounds}, states ${engine.states().length}, notifications ${notified}`);
console.log(`rule evaluation per cycle: cpu median ${eMed.toFixed(1)} ms = ${((eMed * 1000) / domains).toFixed(1)} µs/domain = ${((eMed * 1000) / domains / ruleCount).toFixed(2)} µs/domain-rule`);
console.log(`catalog evaluate (all series) per cycle: cpu median ${cMed.toFixed(1)} ms`);
console.log(`ratio rules/catalog: ${(eMed / cMed).toFixed(2)}`);
await engine.stop();
