// QMP round trip and client CPU per command against a real QEMU 7.2, in the shape of
// performance.md §6.1 (-smp 2 -m 64, 2 virtio-blk qcow2, virtio-net user, balloon, paused).
//
//   node --import tsx bench/qmp/roundtrip.ts [--accel kvm|tcg] [--n 2000] [--warmup 200]
//
// Prints one row per command: reply size, RTT p50/p99 (µs), client CPU per command (µs, from
// process.cpuUsage over the timed loop) and QEMU CPU per command (µs, from /proc/PID/stat ticks).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { QmpClient } from '../../src/drivers/qemu/qmp/client.ts';

const { values } = parseArgs({
  options: { accel: { type: 'string', default: 'kvm' }, n: { type: 'string', default: '2000' }, warmup: { type: 'string', default: '200' } },
});
const n = Number(values.n);
const warmup = Number(values.warmup);
const dir = mkdtempSync(join(tmpdir(), 'vmtb-'));
for (const d of ['a', 'b']) execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, `${d}.qcow2`), '64M']);
const sock = join(dir, 'mon.sock');
const qemu = spawn('qemu-system-x86_64', [
  '-S', '-display', 'none', '-nodefaults', '-machine', 'pc', '-accel', values.accel ?? 'kvm', '-m', '64', '-smp', '2',
  '-chardev', `socket,id=mon,path=${sock},server=on,wait=off`, '-mon', 'chardev=mon,mode=control',
  '-drive', `file=${join(dir, 'a.qcow2')},format=qcow2,if=virtio`, '-drive', `file=${join(dir, 'b.qcow2')},format=qcow2,if=virtio`,
  '-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0', '-device', 'virtio-balloon-pci,id=balloon0',
], { stdio: 'ignore' });

const qemuTicks = (): number => {
  const stat = readFileSync(`/proc/${qemu.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

try {
  const client = await QmpClient.connect({ path: sock, connectTimeoutMs: 15_000 });
  const rows: Array<[string, Record<string, unknown> | undefined]> = [
    ['query-status', undefined], ['query-blockstats', undefined], ['query-cpus-fast', undefined],
    ['query-balloon', undefined], ['query-block', undefined],
  ];
  // Warm every command up first, so the JIT's first-loop cost does not land on the first row.
  for (const [cmd, args] of rows) for (let i = 0; i < warmup; i++) await client.execute(cmd, args);
  console.log(`accel=${values.accel} n=${n} warmup=${warmup}`);
  console.log('command              bytes  p50µs  p99µs  clientCPUµs/cmd  qemuCPUµs/cmd');
  for (const [cmd, args] of rows) {
    const bytes = JSON.stringify(await client.execute(cmd, args)).length;
    const rtts: number[] = [];
    const t0 = qemuTicks();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await client.execute(cmd, args);
      rtts.push((performance.now() - s) * 1000);
    }
    const cpu = process.cpuUsage(cpu0);
    const qemuUs = ((qemuTicks() - t0) * 10_000) / n;
    rtts.sort((a, b) => a - b);
    console.log(`${cmd.padEnd(20)} ${String(bytes).padStart(5)} ${pct(rtts, 0.5).toFixed(0).padStart(6)} ${pct(rtts, 0.99).toFixed(0).padStart(6)} `
      + `${((cpu.user + cpu.system) / n).toFixed(1).padStart(16)} ${qemuUs.toFixed(0).padStart(14)}`);
  }
  // Three commands per cycle, pipelined.
  const cycle: string[] = ['query-blockstats', 'query-cpus-fast', 'query-balloon'];
  const cycles: number[] = [];
  for (let i = 0; i < n / 4; i++) {
    const s = performance.now();
    await Promise.all(cycle.map((c) => client.execute(c)));
    cycles.push((performance.now() - s) * 1000);
  }
  cycles.sort((a, b) => a - b);
  console.log(`3-command cycle pipelined: p50 ${pct(cycles, 0.5).toFixed(0)} µs, p99 ${pct(cycles, 0.99).toFixed(0)} µs`);
  await client.close();
} finally {
  qemu.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
