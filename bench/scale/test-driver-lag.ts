/**
 * Event-loop stalls of the scheduler on the test driver (issue 5: 120–576 ms at 1,000 test-driver
 * domains before the pool yielded): N test-driver domains answer every collector synchronously, the
 * worst case for a cycle that never waits on I/O. Back-to-back cycles with the scheduler yielding every
 * 4 ms (the default) and with yielding off (`sliceMs: 0`, the old behaviour), taking turns in one run;
 * a prober child measures scrape latency and its own idle lag (the machine's noise floor).
 *
 *   node --import tsx bench/scale/test-driver-lag.ts [--domains 1000] [--cycles 10] [--rounds 3]
 *     [--out bench/results/test-driver-lag.json]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { enabledCollectors } from '../../src/collectors/index.ts';
import { Scheduler } from '../../src/collectors/scheduler.ts';
import { createSourceContext } from '../../src/collectors/sources/context.ts';
import { open } from '../../src/drivers/index.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';

const { values: a } = parseArgs({
  options: {
    domains: { type: 'string', default: '1000' },
    cycles: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench/results/test-driver-lag.json' },
  },
});
const N = Number(a.domains);

const conn = await open('test:///default', {});
for (let i = 0; i < N; i++) {
  const name = `vmt-lag-${i}`;
  const ref = await conn.defineXML(`<domain type='test'><name>${name}</name><memory unit='MiB'>256</memory><vcpu>2</vcpu><os><type>hvm</type></os><devices>`
    + `<disk type='file' device='disk'><source file='/var/lib/vmt/${name}-a.img'/><target dev='vda'/></disk>`
    + `<disk type='file' device='disk'><source file='/var/lib/vmt/${name}-b.img'/><target dev='vdb'/></disk>`
    + `<interface type='ethernet'><target dev='vmtl${i}'/></interface></devices></domain>`);
  await conn.create(ref, {});
}

async function run(sliceMs: number): Promise<Record<string, number | null>> {
  const store = new SnapshotStore();
  const scheduler = new Scheduler({
    source: { list: () => conn.statsTargets(), onEvent: (l) => conn.onDomainEvent(l) }, store,
    sources: createSourceContext({ proc: '/proc', sys: '/sys', cgroup: '/sys/fs/cgroup' }),
    collectors: enabledCollectors(), intervalMs: 60_000, domainTimeoutMs: 3000, sliceMs,
  });
  const http = createServer((_req, res) => { res.end(`virtmon_probe_domains ${store.size}\n`); });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const probe = spawn(process.execPath, ['--import', 'tsx', new URL('./probe.ts', import.meta.url).pathname, String((http.address() as AddressInfo).port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = probe.stdout === null ? undefined : createInterface({ input: probe.stdout })[Symbol.asyncIterator]();
  try {
    if ((await lines?.next())?.value !== 'up') throw new Error('the prober did not start');
    for (let c = 0; c < 3; c++) await scheduler.runCycle();
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    // The histogram drops its first tick: let that pass before the cycles, or a stall right after
    // enable() (a cycle that never yields) is not recorded at all.
    await sleep(5);
    const cpu0 = process.cpuUsage();
    const walls: number[] = [];
    for (let c = 0; c < Number(a.cycles); c++) {
      const t0 = performance.now();
      await scheduler.runCycle();
      walls.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    await sleep(20);
    lag.disable();
    probe.stdin?.write('stop\n');
    const next = await lines?.next();
    const p = JSON.parse(typeof next?.value === 'string' ? next.value : '{}') as { p50: number | null; p99: number | null; max: number | null; controlLagP99: number };
    walls.sort((x, y) => x - y);
    return {
      sliceMs, cpuMsPerDomainCycle: Number(((cpu.user + cpu.system) / 1000 / Number(a.cycles) / N).toFixed(4)),
      cycleP50Ms: Number((walls[walls.length >> 1] ?? 0).toFixed(1)),
      lagP99Ms: Number((lag.percentile(99) / 1e6).toFixed(1)), lagMaxMs: Number((lag.max / 1e6).toFixed(1)),
      controlLagP99Ms: p.controlLagP99, scrapeP99Ms: p.p99, scrapeMaxMs: p.max,
    };
  } finally {
    if (probe.exitCode === null) probe.kill('SIGTERM');
    http.close();
    await scheduler.stop();
  }
}

const rounds: Array<Record<string, Record<string, number | null>>> = [];
for (let r = 0; r < Number(a.rounds); r++) {
  const row = { yielding: await run(4), 'not yielding (old)': await run(0) };
  rounds.push(row);
  console.log(JSON.stringify(row));
}
await conn.close();
const median = (xs: Array<number | null>): number | null => {
  const s = xs.filter((x): x is number => x !== null).sort((p, q) => p - q);
  return s[s.length >> 1] ?? null;
};
const summary = Object.fromEntries(Object.keys(rounds[0] ?? {}).map((mode) => [mode, Object.fromEntries(
  Object.keys(rounds[0]?.[mode] ?? {}).map((k) => [k, median(rounds.map((row) => row[mode]?.[k] ?? null))]),
)]));
console.log(JSON.stringify({ domains: N, summary }));
mkdirSync(dirname(a.out), { recursive: true });
writeFileSync(a.out, `${JSON.stringify({ domains: N, cycles: Number(a.cycles), rounds: rounds.length, summary, raw: rounds }, null, 2)}\n`);
