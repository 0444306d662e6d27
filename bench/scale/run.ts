/**
 * bench/scale runner (groundwork for the benchmark issue, performance.md §8.3): N simulated QMP
 * endpoints in a child process, N StatsTargets (2 disks, 1 NIC, a balloon with guest stats, 2 vCPU
 * threads; host files read from this process's own /proc entries: real kernel files, one pid), and the
 * real scheduler running K back-to-back cycles through `runCycle()`. Reports the agent's CPU per cycle
 * and per domain-cycle (process.cpuUsage, warm-up cycles dropped), cycle wall time and heap.
 *
 *   node --import tsx bench/scale/run.ts [N=10,100,1000] [cycles=20]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { enabledCollectors } from '../../src/collectors/index.ts';
import { Scheduler } from '../../src/collectors/scheduler.ts';
import { createSourceContext } from '../../src/collectors/sources/context.ts';
import { DomainState } from '../../src/domain/states.ts';
import type { StatsTarget } from '../../src/domain/stats-target.ts';
import { QmpClient } from '../../src/drivers/qemu/qmp/client.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import { makeDef, nic } from '../../test/helpers/domain-def.ts';

const sizes = (process.argv[2] ?? '10,100,1000').split(',').map(Number);
const cycles = Number(process.argv[3] ?? '20');
const WARMUP = 2;

async function bench(n: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'vmtb-'));
  const server = spawn(process.execPath, ['--import', 'tsx', new URL('./sim-qmp-server.ts', import.meta.url).pathname, dir, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const clients: QmpClient[] = [];
  try {
    for await (const line of createInterface({ input: server.stdout })) if (line === 'ready') break;
    const tids = readdirSync(`/proc/${process.pid}/task`).map(Number).slice(0, 2);
    const targets: StatsTarget[] = [];
    for (let i = 0; i < n; i++) {
      const client = new QmpClient({ path: join(dir, `qmp-${i}.sock`) });
      await client.connect();
      clients.push(client);
      const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const base = makeDef(`vmt-bench-${i}`, uuid, { type: 'qemu' });
      const def = { ...base, devices: { ...base.devices, interfaces: [nic('lo')], memballoon: { model: 'virtio', statsPeriod: 10, extra: [] } } };
      targets.push({
        ref: { name: def.name, uuid, id: i + 1 }, def, state: () => ({ state: DomainState.RUNNING, reason: 1 }), persistent: true,
        pid: process.pid, vcpuTids: tids, qmp: client, balloonQomPath: '/machine/peripheral/balloon0',
        disks: [2, 1].map((d, index) => ({ index, target: `vd${'ab'[index]}`, path: `/var/lib/virtmon/images/disk${d}.qcow2`, qdevId: `virtio-disk${index}`, formatNode: `libvirt-${d}-format`, storageNode: `libvirt-${d}-storage` })),
        nics: [{ index: 0, hostDev: 'lo', swapRxTx: true }],
      });
    }
    const store = new SnapshotStore();
    const scheduler = new Scheduler({
      source: { list: () => Promise.resolve(targets) }, store,
      sources: createSourceContext({ proc: '/proc', sys: '/sys', cgroup: '/sys/fs/cgroup' }),
      collectors: enabledCollectors(), intervalMs: 60_000, domainTimeoutMs: 5000, concurrency: 32,
    });
    const walls: number[] = [];
    let cpu = { user: 0, system: 0 };
    for (let c = 0; c < WARMUP + cycles; c++) {
      if (c === WARMUP) cpu = process.cpuUsage();
      const t0 = performance.now();
      await scheduler.runCycle();
      if (c >= WARMUP) walls.push(performance.now() - t0);
    }
    const used = process.cpuUsage(cpu);
    await scheduler.stop();
    walls.sort((a, b) => a - b);
    const cpuMsPerCycle = (used.user + used.system) / 1000 / cycles;
    return {
      domains: n,
      cycles,
      cpuMsPerCycle: round(cpuMsPerCycle),
      cpuMsPerDomainCycle: round(cpuMsPerCycle / n, 4),
      cycleP50Ms: round(walls[Math.floor(walls.length / 2)] ?? 0),
      cycleMaxMs: round(walls.at(-1) ?? 0),
      heapMB: round(process.memoryUsage().heapUsed / 1048576),
    };
  } finally {
    for (const c of clients) await c.close();
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

for (const n of sizes) console.log(JSON.stringify(await bench(n)));
