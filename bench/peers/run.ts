/**
 * bench/peers (issue 12, performance.md §8.1–8.2): the same K real QEMU VMs (vms.ts) observed in turns
 * by virtmon, `virsh domstats` (with and without --nowait) and collectd's virt plugin (tools.ts), plus
 * an idle turn per round that no tool runs in. Each turn: `cycles` collections `interval` apart; the
 * tool's own CPU and the CPU of libvirtd and of QEMU's non-vCPU threads are read before and after
 * (cpu.ts). Induced CPU = the turn's minus the idle turn's rate over the same time. Figures per
 * domain-cycle; medians over rounds; the ratios are taken inside each round, then their median.
 * Tools take turns in a rotating order (A B C D, B C D A, …); only one runs at a time.
 *
 *   bash bench/peers/setup.sh && node --import tsx bench/peers/run.ts [--vms 4] [--cycles 10]
 *     [--interval 1000] [--rounds 3] [--out bench/results/peers.json]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readHost } from './cpu.ts';
import { ensureLibvirtd, virsh } from './libvirt.ts';
import { collectdTool, virshTool, virtmonTool, type PeerTool } from './tools.ts';
import { startVms } from './vms.ts';

const { values: a } = parseArgs({
  options: {
    vms: { type: 'string', default: '4' },
    cycles: { type: 'string', default: '10' },
    interval: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    boot: { type: 'string', default: '15000' },
    out: { type: 'string', default: 'bench/results/peers.json' },
  },
});
const K = Number(a.vms);
const CYCLES = Number(a.cycles);
const INTERVAL = Number(a.interval);

/** One turn's raw figures. */
interface Turn {
  readonly tool: string;
  readonly ms: number;
  readonly cycles: number;
  readonly ownNs: number;
  readonly libvirtdNs: number;
  readonly qemuNs: number;
  readonly walls: number[];
}

async function turn(tool: PeerTool | undefined, libvirtdPid: number, qemuPids: readonly number[]): Promise<Turn> {
  await tool?.start();
  // Host readings outside the tool's own window: virtmon runs in this process.
  const h0 = readHost(libvirtdPid, qemuPids);
  const own0 = tool?.ownNs() ?? 0;
  const walls: number[] = [];
  for (let c = 0; c < CYCLES; c++) {
    const t0 = performance.now();
    if (tool === undefined) await sleep(INTERVAL);
    else {
      const wall = await tool.cycle();
      if (!Number.isNaN(wall)) walls.push(wall);
      if (!tool.selfTimed) await sleep(Math.max(0, INTERVAL - (performance.now() - t0)));
    }
  }
  const own1 = tool?.ownNs() ?? 0;
  const h1 = readHost(libvirtdPid, qemuPids);
  await tool?.stop();
  return {
    tool: tool?.name ?? 'idle', ms: h1.at - h0.at, cycles: CYCLES, ownNs: own1 - own0,
    libvirtdNs: h1.libvirtdNs - h0.libvirtdNs, qemuNs: h1.qemuNs - h0.qemuNs, walls,
  };
}

/** Per domain-cycle figures of a turn, in ms, with the idle turn's rates subtracted. */
function perDomainCycle(t: Turn, idle: Turn): Record<string, number> {
  const dc = t.cycles * K;
  const induced = (ns: number, idleNs: number): number => Math.max(0, ns - (idleNs * t.ms) / idle.ms) / 1e6 / dc;
  const own = t.ownNs / 1e6 / dc;
  const libvirtd = induced(t.libvirtdNs, idle.libvirtdNs);
  const qemu = induced(t.qemuNs, idle.qemuNs);
  const walls = [...t.walls].sort((x, y) => x - y);
  return { own, libvirtd, qemu, total: own + libvirtd + qemu, wallP50: walls[Math.floor(walls.length / 2)] ?? Number.NaN, wallMax: walls.at(-1) ?? Number.NaN };
}

const median = (xs: number[]): number => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((p, q) => p - q);
  return s.length === 0 ? Number.NaN : (s[Math.floor(s.length / 2)] as number);
};
const r4 = (x: number): number => Number(x.toFixed(4));

const libvirtd = await ensureLibvirtd();
const work = mkdtempSync(join(tmpdir(), 'vmtp-collectd-'));
const vms = await startVms(K);
try {
  await sleep(Number(a.boot)); // TCG boot of the test guest; its heartbeat then writes and reads the disks
  const tools = (): PeerTool[] => [virtmonTool(vms.targets), virshTool(false), virshTool(true), collectdTool(work, INTERVAL)];
  const rounds: Array<Record<string, Record<string, number>>> = [];
  for (let round = 0; round < Number(a.rounds); round++) {
    const list = tools();
    const order = list.map((_, i) => list[(i + round) % list.length] as PeerTool);
    const idle = await turn(undefined, libvirtd.pid, vms.qemuPids);
    const row: Record<string, Record<string, number>> = {};
    for (const tool of order) row[tool.name] = perDomainCycle(await turn(tool, libvirtd.pid, vms.qemuPids), idle);
    row.idle = { libvirtdMsPerS: idle.libvirtdNs / 1e6 / (idle.ms / 1000), qemuMsPerS: idle.qemuNs / 1e6 / (idle.ms / 1000) };
    rounds.push(row);
    console.log(JSON.stringify({ round, ...row }));
  }
  const names = Object.keys(rounds[0] ?? {}).filter((n) => n !== 'idle');
  const summary: Record<string, Record<string, number>> = {};
  for (const name of names) {
    const keys = Object.keys(rounds[0]?.[name] ?? {});
    summary[name] = Object.fromEntries(keys.map((k) => [k, r4(median(rounds.map((row) => row[name]?.[k] ?? Number.NaN)))]));
    const ratio = (peer: string): number => r4(median(rounds.map((row) => (row.virtmon?.total ?? Number.NaN) / (row[peer]?.total ?? Number.NaN))));
    if (name !== 'virtmon') (summary.virtmon ??= {})[`ratioTo ${name}`] = ratio(name);
  }
  const versions = { libvirt: (await virsh(['version'])).match(/Using library: libvirt ([\d.]+)/)?.[1] ?? '?', qemu: (await virsh(['version'])).match(/Running hypervisor: QEMU ([\d.]+)/)?.[1] ?? '?' };
  const out = { options: { vms: K, cycles: CYCLES, intervalMs: INTERVAL, rounds: Number(a.rounds), accel: 'tcg' }, versions, summary, rounds };
  console.log(JSON.stringify({ summary }));
  mkdirSync(dirname(a.out), { recursive: true });
  writeFileSync(a.out, `${JSON.stringify(out, null, 2)}\n`);
} finally {
  await vms.close();
  rmSync(work, { recursive: true, force: true });
  await libvirtd.stop();
}
