/**
 * The bench/scale fixture (performance.md §8.3): N simulated domains, each with
 * - a QMP endpoint served by the sim-qmp-server child (QEMU-sized replies, lognormal service time),
 * - its own helper process with 2 "vCPU" threads (procs.c), so /proc/PID/statm and the task files
 *   are the real kernel's, one process per domain as with QEMU,
 * - real cgroups (cgroups.ts) when this machine allows, else none (flagged in the result),
 * - one NIC on `lo` (one /proc/net/dev read per cycle for all domains), 2 disks, a balloon with stats.
 * Faults pick domains evenly: `hung`, `slow`, `drop` (sim-qmp-server.ts).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DomainState } from '../../src/domain/states.ts';
import type { StatsTarget } from '../../src/domain/stats-target.ts';
import { QmpClient } from '../../src/drivers/qemu/qmp/client.ts';
import { makeDef, nic } from '../../test/helpers/domain-def.ts';
import { createBenchCgroups, type BenchCgroups } from './cgroups.ts';

/** Fraction of domains per fault kind. */
export interface FaultRates {
  readonly hung: number;
  readonly slow: number;
  readonly drop: number;
}

/** A running fixture. */
export interface ScaleFixture {
  readonly targets: readonly StatsTarget[];
  /** Indices of faulty domains by kind. */
  readonly faulty: ReadonlyMap<number, string>;
  readonly cgroups: boolean;
  /** The sim server's pid (its CPU stands for QEMU's, reported apart). */
  readonly serverPid: number;
  close(): Promise<void>;
}

/** Evenly spread fault assignment: ⌈rate·N⌉ domains per kind (none when the rate is 0). */
export function assignFaults(n: number, rates: FaultRates): Map<number, string> {
  const out = new Map<number, string>();
  let offset = 1;
  for (const [kind, rate] of Object.entries(rates)) {
    const count = rate > 0 ? Math.ceil(rate * n) : 0;
    for (let k = 0; k < count; k++) out.set((Math.floor((k * n) / count) + offset) % n, kind);
    offset++;
  }
  return out;
}

async function lines(child: ChildProcess, until: string): Promise<string[]> {
  const out: string[] = [];
  if (child.stdout === null) throw new Error('child has no stdout');
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === until) return out;
    out.push(line);
  }
  throw new Error(`child exited before '${until}'`);
}

/** The compiled helper, cached in the temp dir under its source's hash. */
function procsBinary(): string {
  const src = new URL('./procs.c', import.meta.url).pathname;
  const bin = join(tmpdir(), `virtmon-bench-procs-${createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 12)}`);
  if (!existsSync(bin)) execFileSync('cc', ['-O2', '-pthread', '-o', bin, src]);
  return bin;
}

/** Starts N domains' endpoints, processes and cgroups, connects a QMP client to each. */
export async function startFixture(n: number, rates: FaultRates, useCgroups = true): Promise<ScaleFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vmtb-'));
  const faulty = assignFaults(n, rates);
  const faultArg = [...faulty].map(([i, k]) => `${i}:${k}`).join(',');
  const server = spawn(process.execPath, ['--import', 'tsx', new URL('./sim-qmp-server.ts', import.meta.url).pathname, dir, String(n), faultArg], { stdio: ['ignore', 'pipe', 'inherit'] });
  const procs = spawn(procsBinary(), [String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const clients: QmpClient[] = [];
  let groups: BenchCgroups | undefined;
  const close = async (): Promise<void> => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const child of [server, procs]) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
    }
    await groups?.remove();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [, helpers] = await Promise.all([lines(server, 'ready'), lines(procs, 'ready')]);
    const threads = helpers.map((l) => l.split(' ').map(Number));
    groups = useCgroups ? createBenchCgroups(threads.map((t) => t[0] as number), `vmtb-${process.pid}`) : undefined;
    const targets: StatsTarget[] = [];
    for (let i = 0; i < n; i++) {
      const client = new QmpClient({ path: join(dir, `qmp-${i}.sock`) });
      await client.connect();
      clients.push(client);
      const [pid, t0, t1] = threads[i] as [number, number, number];
      const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const base = makeDef(`vmt-bench-${i}`, uuid, { type: 'qemu' });
      const def = { ...base, devices: { ...base.devices, interfaces: [nic('lo')], memballoon: { model: 'virtio', statsPeriod: 10, extra: [] } } };
      targets.push({
        ref: { name: def.name, uuid, id: i + 1 }, def, state: () => ({ state: DomainState.RUNNING, reason: 1 }), persistent: true,
        pid, vcpuTids: [t0, t1], qmp: client, balloonQomPath: '/machine/peripheral/balloon0',
        ...(groups === undefined ? {} : { cgroup: groups.placement(i) }),
        disks: [2, 1].map((d, index) => ({ index, target: `vd${'ab'[index]}`, path: `/var/lib/virtmon/images/disk${d}.qcow2`, qdevId: `virtio-disk${index}`, formatNode: `libvirt-${d}-format`, storageNode: `libvirt-${d}-storage` })),
        nics: [{ index: 0, hostDev: 'lo', swapRxTx: true }],
      });
    }
    return { targets, faulty, cgroups: groups !== undefined, serverPid: server.pid ?? 0, close };
  } catch (error) {
    await close();
    throw error;
  }
}
