/**
 * Floor: CPU per read of a small kernel file three ways, side by side in one process (performance.md
 * §6.2): the collectors' kept fd + pread at offset 0 (KeptFdReader: LRU bookkeeping and a utf8 string
 * per read), readFileSync, and fs.promises.readFile awaited one at a time; plus the bare syscall floor
 * (one fd, readSync into a Buffer, no string). Rounds interleave the methods (A B C A B C …) and each
 * figure is the median over rounds. CPU is process.cpuUsage() (user+system, all threads, so the
 * libuv threadpool work of fs.promises counts). Not a test: run it by hand.
 *
 *   node --import tsx bench/floors/read-small-files.ts [FILE ...]
 *   READS=20000 ROUNDS=3 node --import tsx bench/floors/read-small-files.ts
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { KeptFdReader } from '../../src/collectors/sources/kept-fd.ts';

const READS = Number(process.env.READS ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WARMUP = 1_000;
const DEFAULT_FILES = ['/proc/self/stat', '/sys/fs/cgroup/unified/cpu.stat', '/sys/fs/cgroup/cpu/cpu.stat'];
const files = (process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_FILES).filter((f) => {
  try { return statSync(f).isFile(); } catch { return false; }
});

interface Cost { cpuUs: number; wallUs: number }
type Method = { name: string; run: (path: string, n: number) => Promise<number> | number };

const reader = new KeptFdReader();
const methods: Method[] = [
  { name: 'kept fd + pread', run: (path, n) => { let b = 0; for (let i = 0; i < n; i++) b += reader.read(path)?.length ?? 0; return b; } },
  {
    name: 'bare pread (floor)',
    run: (path, n) => {
      const fd = openSync(path, 'r');
      const buf = Buffer.allocUnsafe(65_536);
      let b = 0;
      for (let i = 0; i < n; i++) b += readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      return b;
    },
  },
  { name: 'readFileSync', run: (path, n) => { let b = 0; for (let i = 0; i < n; i++) b += readFileSync(path, 'utf8').length; return b; } },
  {
    name: 'fs.promises.readFile',
    run: async (path, n) => { let b = 0; for (let i = 0; i < n; i++) b += (await readFile(path, 'utf8')).length; return b; },
  },
];

async function measure(method: Method, path: string): Promise<Cost> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await method.run(path, READS);
  const wallNs = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / READS, wallUs: wallNs / 1000 / READS };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const rows: string[][] = [['file', 'size', 'method', 'CPU µs/read', 'wall µs/read', 'CPU ×kept', 'CPU range (rounds)']];
for (const path of files) {
  const size = readFileSync(path).length;
  for (const m of methods) await m.run(path, WARMUP);
  const samples = methods.map(() => [] as Cost[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, m] of methods.entries()) samples[i]?.push(await measure(m, path));
  }
  const cpu = samples.map((s) => median(s.map((c) => c.cpuUs)));
  const base = cpu[0] ?? Number.NaN;
  methods.forEach((m, i) => {
    const s = samples[i] ?? [];
    const cpus = s.map((c) => c.cpuUs);
    rows.push([
      i === 0 ? path : '', i === 0 ? `${size} B` : '', m.name,
      (cpu[i] ?? Number.NaN).toFixed(2), median(s.map((c) => c.wallUs)).toFixed(2),
      `${((cpu[i] ?? Number.NaN) / base).toFixed(1)}×`,
      `${Math.min(...cpus).toFixed(2)}–${Math.max(...cpus).toFixed(2)}`,
    ]);
  });
}
reader.closeAll();

const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
console.log(`\n${READS} sequential reads per cell, median of ${ROUNDS} interleaved rounds; node ${process.version}`);
