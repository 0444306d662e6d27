/**
 * bench/scale (issue 12, performance.md §8.3): for each N, a fixture of N simulated domains
 * (fixture.ts) and the real scheduler over it (measure.ts), healthy and with faults (1% hung, 1% slow,
 * 0.5% dropping monitors), repeated `rounds` times; each figure is the median over the rounds. Prints one
 * JSON line per run and a summary with the scaling exponent (least squares of log CPU per cycle over
 * log N, N ≥ 100) and the floor ratio (floor.ts), and writes everything to `--out`.
 *
 *   node --import tsx bench/scale/run.ts [--sizes 10,100,1000,2000] [--cycles 10] [--rounds 3]
 *     [--no-faults] [--no-cgroups] [--concurrency 32] [--out bench/results/scale.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { floorMsPerDomainCycle } from './floor.ts';
import { startFixture, type FaultRates } from './fixture.ts';
import { measure, type ScaleRun } from './measure.ts';

const { values: a } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100,1000,2000' },
    cycles: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    'domain-timeout': { type: 'string', default: '2000' },
    'no-faults': { type: 'boolean', default: false },
    'no-cgroups': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/scale.json' },
  },
});
const sizes = a.sizes.split(',').map(Number);
const opts = { cycles: Number(a.cycles), warmup: Number(a.warmup), concurrency: Number(a.concurrency), domainTimeoutMs: Number(a['domain-timeout']) };
const HEALTHY: FaultRates = { hung: 0, slow: 0, drop: 0 };
const FAULTS: FaultRates = { hung: 0.01, slow: 0.01, drop: 0.005 };

/** Median of each numeric field over the rounds (booleans from the first). */
function median(runs: readonly ScaleRun[]): ScaleRun & { rounds: number } {
  const first = runs[0] as ScaleRun;
  const out: Record<string, unknown> = { ...first, rounds: runs.length };
  for (const [k, v] of Object.entries(first)) {
    if (typeof v !== 'number' && v !== null) continue;
    const xs = runs.map((x) => (x as unknown as Record<string, number | null>)[k]).filter((x): x is number => typeof x === 'number').sort((p, q) => p - q);
    out[k] = xs[Math.floor(xs.length / 2)] ?? null;
  }
  return out as unknown as ScaleRun & { rounds: number };
}

/** Least-squares slope of log(y) over log(x). */
function exponent(points: ReadonlyArray<readonly [number, number]>): number | undefined {
  if (points.length < 2) return undefined;
  const lx = points.map(([x]) => Math.log(x));
  const ly = points.map(([, y]) => Math.log(y));
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => { num += (x - mx) * ((ly[i] as number) - my); den += (x - mx) ** 2; });
  return Number((num / den).toFixed(3));
}

// An interrupted run still removes its cgroups and helper processes.
let current: { close(): Promise<void> } | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { void (current?.close() ?? Promise.resolve()).finally(() => process.exit(130)); });
}

const results: Array<ScaleRun & { rounds: number; mode: string; floorMsPerDomainCycle: number; floorRatio: number }> = [];
for (const n of sizes) {
  for (const mode of a['no-faults'] || n < 100 ? ['healthy'] : ['healthy', 'faults']) {
    const runs: ScaleRun[] = [];
    for (let round = 0; round < Number(a.rounds); round++) {
      const fx = await startFixture(n, mode === 'faults' ? FAULTS : HEALTHY, !a['no-cgroups']);
      current = fx;
      try {
        runs.push(await measure(fx, opts));
      } finally {
        current = undefined;
        await fx.close();
      }
    }
    const m = median(runs);
    const floor = floorMsPerDomainCycle(m.cgroups);
    const row = { mode, ...m, floorMsPerDomainCycle: floor, floorRatio: Number((m.cpuMsPerDomainCycle / floor).toFixed(2)) };
    results.push(row);
    console.log(JSON.stringify(row));
  }
}
const healthy = results.filter((x) => x.mode === 'healthy' && x.domains >= 100);
const summary = {
  scalingExponent: exponent(healthy.map((x) => [x.domains, x.cpuMsPerCycle] as const)),
  options: { ...opts, rounds: Number(a.rounds), faults: FAULTS },
  node: process.version,
};
console.log(JSON.stringify(summary));
mkdirSync(dirname(a.out), { recursive: true });
writeFileSync(a.out, `${JSON.stringify({ summary, results }, null, 2)}\n`);
