/**
 * Simulated QMP endpoints for bench/scale (performance.md §8.3): one process serving N unix sockets
 * with QEMU 7.2's greeting and `qmp_capabilities`, answering the stats commands with replies sized
 * like QEMU's (query-blockstats for 2 disks ~3 KB, named nodes, balloon, guest stats) whose counters
 * keep increasing. Service time as QEMU: per socket one command at a time, lognormal with p50 300 µs
 * and p99 ~1 ms (sub-millisecond waits spin, since timers have 1 ms granularity).
 *
 * Run as a child: `node --import tsx bench/scale/sim-qmp-server.ts DIR N [FAULTS]`; prints `ready` when
 * every socket listens; SIGTERM stops it. Sockets are DIR/qmp-<i>.sock. FAULTS (performance.md §8.3) is
 * a comma list of `i:kind` with kind `hung` (accepts commands, never answers), `slow` (answers after
 * 2–10 s) or `drop` (closes the connection halfway through its first stats reply).
 */
import { createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

const [dir, countText, faultText] = process.argv.slice(2);
const count = Number(countText);
if (dir === undefined || !(count > 0)) throw new Error('usage: sim-qmp-server.ts DIR N [FAULTS]');
type Fault = 'hung' | 'slow' | 'drop';
const faults = new Map<number, Fault>((faultText ?? '').split(',').filter((f) => f !== '').map((f) => {
  const [i, kind] = f.split(':');
  return [Number(i), kind as Fault];
}));

const P50_MS = 0.3;
const SIGMA = Math.log(1.0 / 0.3) / 2.326; // p99 ≈ 1 ms

/** A lognormal service time in ms (Box–Muller). */
function serviceMs(): number {
  const u = 1 - Math.random();
  const v = Math.random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return P50_MS * Math.exp(SIGMA * z);
}

const GREETING = JSON.stringify({ QMP: { version: { qemu: { micro: 2, minor: 2, major: 7 }, package: '' }, capabilities: ['oob'] } });

function stats(n: number): Record<string, unknown> {
  return {
    unmap_operations: 0, unmap_merged: 0, flush_total_time_ns: n * 1000, wr_highest_offset: 1048576 + n * 4096, wr_total_time_ns: n * 90_000,
    failed_wr_operations: 0, failed_rd_operations: 0, wr_merged: 0, wr_bytes: n * 65536, timed_stats: [], failed_unmap_operations: 0,
    failed_flush_operations: 0, account_invalid: true, rd_total_time_ns: n * 50_000, invalid_unmap_operations: 0, flush_operations: n,
    wr_operations: n, unmap_bytes: 0, rd_merged: 0, rd_bytes: n * 65536, unmap_total_time_ns: 0, invalid_flush_operations: 0,
    account_failed: true, idle_time_ns: 1000, rd_operations: n, invalid_wr_operations: 0, invalid_rd_operations: 0,
  };
}

function reply(command: string, n: number): unknown {
  switch (command) {
    case 'query-blockstats':
      return [2, 1].map((d) => ({
        device: '', qdev: d === 2 ? '/machine/peripheral/virtio-disk0/virtio-backend' : '/machine/peripheral/virtio-disk1/virtio-backend',
        'node-name': `libvirt-${d}-format`, stats: stats(n * d),
        parent: { stats: stats(n * d), 'node-name': `libvirt-${d}-storage`, 'driver-specific': { driver: 'file', 'discard-nb-ok': 0, 'discard-nb-failed': 0, 'discard-bytes-ok': 0 } },
      }));
    case 'query-named-block-nodes':
      return [2, 1].flatMap((d) => ['format', 'storage'].map((k) => ({
        'node-name': `libvirt-${d}-${k}`, drv: k === 'format' ? 'qcow2' : 'file', ro: false, encrypted: false, detect_zeroes: 'off',
        bps: 0, bps_rd: 0, bps_wr: 0, iops: 0, iops_rd: 0, iops_wr: 0, write_threshold: 0, backing_file_depth: 0,
        file: `/var/lib/virtmon/images/disk${d}.qcow2`, cache: { 'no-flush': false, direct: false, writeback: true },
        image: { 'virtual-size': 10737418240, filename: `/var/lib/virtmon/images/disk${d}.qcow2`, format: k === 'format' ? 'qcow2' : 'file', 'actual-size': 1048576 + n * 4096, 'dirty-flag': false },
      })));
    case 'query-balloon': return { actual: 134217728 };
    case 'qom-get': return {
      stats: {
        'stat-swap-in': 0, 'stat-swap-out': 0, 'stat-major-faults': 100 + n, 'stat-minor-faults': 10000 + 10 * n, 'stat-free-memory': 50_000_000,
        'stat-total-memory': 130_000_000, 'stat-available-memory': 90_000_000, 'stat-disk-caches': 20_000_000, 'stat-htlb-pgalloc': 0, 'stat-htlb-pgfail': 0,
      },
      'last-update': Math.floor(Date.now() / 1000),
    };
    default: return {};
  }
}

function serve(socket: Socket, fault: Fault | undefined): void {
  let buf = '';
  let n = 0;
  const queue: Array<{ execute: string; id?: unknown }> = [];
  let busy = false;
  const pump = (): void => {
    if (busy) return;
    const req = queue.shift();
    if (req === undefined) return;
    busy = true;
    const stats = req.execute !== 'qmp_capabilities';
    const done = (): void => {
      n++;
      const body = stats ? reply(req.execute, n) : {};
      const text = `${JSON.stringify({ return: body, id: req.id })}\r\n`;
      if (stats && fault === 'drop') {
        socket.end(text.slice(0, text.length >> 1));
        return;
      }
      if (!socket.destroyed) socket.write(text);
      busy = false;
      pump();
    };
    if (stats && fault === 'hung') return; // QEMU's main loop stuck (D state, SIGSTOP): the queue only grows
    if (stats && fault === 'slow') {
      setTimeout(done, 2000 + Math.random() * 8000);
      return;
    }
    const ms = stats ? serviceMs() : 0;
    if (ms >= 1) setTimeout(done, ms);
    else {
      const end = performance.now() + ms;
      while (performance.now() < end) { /* spin: QEMU's main loop is busy for this long */ }
      setImmediate(done);
    }
  };
  socket.on('error', () => undefined);
  socket.write(`${GREETING}\r\n`);
  socket.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line === '') continue;
      queue.push(JSON.parse(line) as { execute: string; id?: unknown });
      pump();
    }
  });
}

let listening = 0;
for (let i = 0; i < count; i++) {
  const fault = faults.get(i);
  const server = createServer((socket) => { serve(socket, fault); });
  server.listen(`${dir}/qmp-${i}.sock`, () => {
    if (++listening === count) process.stdout.write('ready\n');
  });
}
process.on('SIGTERM', () => process.exit(0));
