/**
 * One bench/scale measurement over a running fixture: the real scheduler runs back-to-back cycles
 * (`runCycle`, what each tick does) while
 * - process.cpuUsage gives the agent's CPU per cycle and per domain-cycle (warm-up cycles dropped),
 * - /proc/PID/stat of the sim server gives the simulated QEMUs' CPU, reported apart,
 * - perf_hooks.monitorEventLoopDelay (1 ms resolution) gives the event-loop lag, and the prober's own
 *   lag in the same window the machine's noise floor (shared cores preempt every process),
 * - a prober child GETs a tiny endpoint of this process every 100 ms: what a /metrics scrape waits for
 *   the event loop (the render cost itself is the exporters' bench),
 * - RSS is sampled after every cycle; GC pauses come from a PerformanceObserver.
 * Freshness at the end: healthy domains with a sample from the last cycle, faulty ones flagged.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { enabledCollectors } from '../../src/collectors/index.ts';
import { Scheduler } from '../../src/collectors/scheduler.ts';
import { createSourceContext } from '../../src/collectors/sources/context.ts';
import { detectHostConstants } from '../../src/collectors/sources/host.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import type { ScaleFixture } from './fixture.ts';

/** Options of one measurement. */
export interface MeasureOptions {
  readonly cycles: number;
  readonly warmup: number;
  readonly concurrency: number;
  readonly domainTimeoutMs: number;
}

/** What one measurement reports (times in ms, sizes in MB). */
export interface ScaleRun {
  readonly domains: number;
  readonly faulty: number;
  readonly cgroups: boolean;
  readonly cpuMsPerCycle: number;
  readonly cpuMsPerDomainCycle: number;
  readonly simQemuCpuMsPerDomainCycle: number;
  readonly cycleP50Ms: number;
  readonly cycleMaxMs: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** Event-loop lag p99 of the nearly idle prober in the same window: the machine's noise floor. */
  readonly controlLagP99Ms: number;
  readonly probeP50Ms: number | null;
  readonly probeP99Ms: number | null;
  readonly gcMaxMs: number;
  readonly rssMaxMB: number;
  readonly heapMB: number;
  /** Healthy domains whose sample is from the last cycle and not flagged, fraction. */
  readonly healthyFresh: number;
  /** Faulty domains flagged timed_out or cached, fraction (1 when none are faulty). */
  readonly faultyFlagged: number;
}

const ticks = (pid: number): number => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const r = (x: number, d = 2): number => Number(x.toFixed(d));

/** Runs the scheduler over the fixture and measures. */
export async function measure(fx: ScaleFixture, o: MeasureOptions): Promise<ScaleRun> {
  const n = fx.targets.length;
  const store = new SnapshotStore();
  const host = detectHostConstants();
  const scheduler = new Scheduler({
    source: { list: () => Promise.resolve([...fx.targets]) }, store,
    sources: createSourceContext({ proc: '/proc', sys: '/sys', cgroup: '/sys/fs/cgroup' }, { host }),
    collectors: enabledCollectors(), intervalMs: 60_000, domainTimeoutMs: o.domainTimeoutMs, concurrency: o.concurrency,
  });
  const http = createServer((_req, res) => { res.end(`virtmon_probe_domains ${store.size}\n`); });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const probe = spawn(process.execPath, ['--import', 'tsx', new URL('./probe.ts', import.meta.url).pathname, String((http.address() as AddressInfo).port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const probeLines = probe.stdout === null ? undefined : createInterface({ input: probe.stdout })[Symbol.asyncIterator]();
  let gcMax = 0;
  const gc = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMax = Math.max(gcMax, e.duration); });
  try {
    if ((await probeLines?.next())?.value !== 'up') throw new Error('the prober did not start');
    for (let c = 0; c < o.warmup; c++) await scheduler.runCycle();
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    gc.observe({ entryTypes: ['gc'] });
    await sleep(5); // the histogram drops its first tick; a stall before it would go unrecorded
    const cpu0 = process.cpuUsage();
    const server0 = ticks(fx.serverPid);
    const walls: number[] = [];
    let rssMax = 0;
    let lastStart = 0;
    for (let c = 0; c < o.cycles; c++) {
      const t0 = performance.now();
      const report = await scheduler.runCycle();
      walls.push(performance.now() - t0);
      lastStart = report?.startedAt ?? lastStart;
      rssMax = Math.max(rssMax, process.memoryUsage.rss());
    }
    const cpu = process.cpuUsage(cpu0);
    const serverMs = ((ticks(fx.serverPid) - server0) * 1000) / host.clockTicks;
    await sleep(20); // let the lag histogram see the last stretch
    lag.disable();
    gc.disconnect();
    probe.stdin?.write('stop\n');
    const next = await probeLines?.next();
    if (next === undefined || next.done === true) throw new Error('the prober exited without a result');
    const probeResult = JSON.parse(next.value) as { p50: number | null; p99: number | null; controlLagP99: number };
    let fresh = 0;
    let flagged = 0;
    for (const [i, t] of fx.targets.entries()) {
      const s = store.get(t.ref.uuid)?.sample;
      if (fx.faulty.has(i)) {
        if (s?.flags.timedOut === true || s?.flags.cached === true || s?.fields.has('block.0.rd.reqs') !== true) flagged++;
      } else if (s !== undefined && s.time === lastStart && !s.flags.cached && !s.flags.timedOut) fresh++;
    }
    walls.sort((a, b) => a - b);
    const cpuMsPerCycle = (cpu.user + cpu.system) / 1000 / o.cycles;
    return {
      domains: n,
      faulty: fx.faulty.size,
      cgroups: fx.cgroups,
      cpuMsPerCycle: r(cpuMsPerCycle),
      cpuMsPerDomainCycle: r(cpuMsPerCycle / n, 4),
      simQemuCpuMsPerDomainCycle: r(serverMs / o.cycles / n, 4),
      cycleP50Ms: r(quantile(walls, 0.5)),
      cycleMaxMs: r(walls.at(-1) ?? 0),
      lagP50Ms: r(lag.percentile(50) / 1e6),
      lagP99Ms: r(lag.percentile(99) / 1e6),
      lagMaxMs: r(lag.max / 1e6),
      controlLagP99Ms: probeResult.controlLagP99,
      probeP50Ms: probeResult.p50,
      probeP99Ms: probeResult.p99,
      gcMaxMs: r(gcMax),
      rssMaxMB: r(rssMax / 1048576, 1),
      heapMB: r(process.memoryUsage().heapUsed / 1048576, 1),
      healthyFresh: r(fresh / Math.max(1, n - fx.faulty.size), 4),
      faultyFlagged: fx.faulty.size === 0 ? 1 : r(flagged / fx.faulty.size, 4),
    };
  } finally {
    if (probe.exitCode === null) probe.kill('SIGTERM');
    http.close();
    await scheduler.stop();
  }
}
