/**
 * The collectors and the scheduler on a real QEMU 7.2 running the test guest under TCG (a Linux guest
 * hangs early under the nested KVM of the test machines): launched from buildQemuCommandLine with a
 * raw virtio disk, a tap and a balloon with a stats period, placed in fresh `vmt-…` cgroup v1 groups
 * (cpu, cpuacct, memory) as the qemu driver will place it. Until the qemu driver's statsTargets() lands,
 * the test builds the StatsTarget itself from what the launch named (disks, NICs, balloon, vCPU tids).
 *
 * Must-show (issue 5): every field present; block.0.wr.bytes moves by at least what the guest wrote
 * (64 KiB with O_DIRECT per heartbeat, counted in its serial log); ping traffic moves net.0; cpu.time
 * grows by the CPU QEMU used, within 5% of /proc/PID/stat utime+stime over the same window.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { enabledCollectors } from '../../../src/collectors/index.ts';
import { parseProcCgroup } from '../../../src/collectors/parse/proc-cgroup.ts';
import { parseProcStat } from '../../../src/collectors/parse/proc-stat.ts';
import { sampleOnce } from '../../../src/collectors/sample-once.ts';
import { Scheduler } from '../../../src/collectors/scheduler.ts';
import { createSourceContext } from '../../../src/collectors/sources/context.ts';
import { detectHostConstants } from '../../../src/collectors/sources/host.ts';
import type { DomainSample } from '../../../src/domain/sample.ts';
import { DomainState } from '../../../src/domain/states.ts';
import type { StatsTarget } from '../../../src/domain/stats-target.ts';
import { buildQemuCommandLine } from '../../../src/drivers/qemu/argv.ts';
import { QmpClient } from '../../../src/drivers/qemu/qmp/client.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { fileDisk, minimalDef, nic } from '../../helpers/domain-defs.ts';
import { pollUntil, spawnQemu, type QemuProcess } from '../../helpers/qemu.ts';
import { createTap, type TestTap } from '../../helpers/tap.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';
import { shortTempDir, uniqueHostName, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const CONTROLLERS = ['cpu', 'cpuacct', 'memory'] as const;
const GROUP_NAME = `vmt-col-${uniqueHostName()}`;
const own = parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8')).v1;
const groupOf = (c: (typeof CONTROLLERS)[number]): string => `${(own.get(c) ?? '/').replace(/\/$/, '')}/${GROUP_NAME}`;
const dirOf = (c: (typeof CONTROLLERS)[number]): string => `/sys/fs/cgroup/${c}${groupOf(c)}`;

const sources = createSourceContext({ proc: '/proc', sys: '/sys', cgroup: '/sys/fs/cgroup' }, { host: detectHostConstants() });
const store = new SnapshotStore();

describe('collectors on a real QEMU running the test guest', () => {
  let tmp: ShortTempDir | undefined;
  let tap: TestTap | undefined;
  let qemu: QemuProcess | undefined;
  let client: QmpClient | undefined;
  let target: StatsTarget;
  let scheduler: Scheduler;
  const made: string[] = [];

  before(async () => {
    const guest = locateTestGuest();
    tmp = await shortTempDir('c');
    tap = await createTap();
    const disk = tmp.path('disk.raw');
    await writeFile(disk, Buffer.alloc(8 * 1024 * 1024));
    const def = minimalDef({
      type: 'qemu',
      name: 'vmtcollect',
      memoryKiB: 131072,
      currentMemoryKiB: 131072,
      os: {
        type: 'hvm', machine: 'pc', boot: [], extra: [], kernel: guest.kernel, initrd: guest.initrd,
        cmdline: guest.append({ guestCidr: `${tap.guestIp}/24`, hostIp: tap.hostIp }),
      },
      devices: {
        disks: [fileDisk('vda', disk)],
        interfaces: [nic('ethernet', { targetDev: tap.name, mac: '52:54:00:7e:57:02' })],
        memballoon: { model: 'virtio', statsPeriod: 1, extra: [] },
        serials: [], consoles: [], graphics: [], other: [],
      },
    });
    const cl = buildQemuCommandLine(def, {
      accel: 'tcg',
      paths: { monitorSocket: tmp.path('mon.sock'), pidfile: tmp.path('qemu.pid'), serialLog: tmp.path('serial.log'), taps: [tap.name] },
    });
    qemu = spawnQemu(cl.argv);
    client = new QmpClient({ path: tmp.path('mon.sock'), connectTimeoutMs: 15_000 });
    await client.connect();
    // Place QEMU as the driver will: a domain group per v1 controller (cgroup.procs moves every thread).
    for (const c of CONTROLLERS) {
      mkdirSync(dirOf(c));
      made.push(dirOf(c));
      writeFileSync(`${dirOf(c)}/cgroup.procs`, String(qemu.pid));
    }
    const cpus = await client.execute('query-cpus-fast');
    // libvirt sets the polling interval at start when <stats period> is given.
    await client.execute('qom-set', { path: cl.balloon?.qomPath, property: 'guest-stats-polling-interval', value: 1 });
    const resumed = client.waitForEvent('RESUME', undefined, 10_000);
    await client.execute('cont');
    await resumed;
    const pid = qemu.pid;
    target = {
      ref: { name: def.name, uuid: def.uuid, id: 1 },
      def,
      state: () => ({ state: DomainState.RUNNING, reason: 1 }),
      persistent: true,
      pid,
      vcpuTids: cpus.map((c) => c['thread-id']),
      cgroup: { v1: { cpu: groupOf('cpu'), cpuacct: groupOf('cpuacct'), memory: groupOf('memory') } },
      qmp: client,
      ...(cl.balloon === undefined ? {} : { balloonQomPath: cl.balloon.qomPath }),
      disks: cl.disks,
      nics: cl.nics.map((n) => ({ index: n.index, ...(n.hostDev === undefined ? {} : { hostDev: n.hostDev }), swapRxTx: true })),
    };
    scheduler = new Scheduler({
      source: { list: () => Promise.resolve([target]) },
      store, sources, collectors: enabledCollectors(),
      intervalMs: 60_000, // cycles are run explicitly, so each one's place in the window is known
      domainTimeoutMs: 5000,
    });
    await waitForSerial(tmp.path('serial.log'), 'GUEST-UP', 90_000);
  });

  after(async () => {
    await scheduler?.stop();
    await client?.close();
    await qemu?.kill();
    for (const dir of made.reverse()) {
      for (let attempt = 0; ; attempt++) {
        try {
          rmdirSync(dir);
          break;
        } catch (error) {
          if (attempt >= 50) throw error;
          await sleep(100);
        }
      }
    }
    await tap?.remove();
    await tmp?.remove();
  });

  const cycle = async (): Promise<DomainSample> => {
    await scheduler.runCycle();
    await new Promise<void>((resolve) => { setImmediate(resolve); });
    const s = store.get(target.ref.uuid)?.sample;
    assert.ok(s !== undefined);
    return s;
  };
  const u64 = (s: DomainSample, field: string): bigint => {
    const v = s.fields.get(field);
    assert.equal(typeof v, 'bigint', `${field} is a counter`);
    return v as bigint;
  };
  const beats = async (): Promise<number> => {
    const log = await readFile(tmp?.path('serial.log') ?? '', 'utf8');
    return [...log.matchAll(/virtmon-guest: beat (\d+) disk-write=ok/g)].length;
  };

  test('every field is present, and the flags say fresh', async () => {
    // The balloon driver reports within a couple of polling periods.
    const s = await pollUntil('guest balloon statistics', 30_000, async () => {
      const x = await cycle();
      return typeof x.fields.get('balloon.available') === 'bigint' ? x : undefined;
    });
    const expected = [
      'state.state', 'state.reason', 'cpu.time', 'cpu.user', 'cpu.system',
      'balloon.current', 'balloon.maximum', 'balloon.swap_in', 'balloon.swap_out', 'balloon.major_fault', 'balloon.minor_fault',
      'balloon.unused', 'balloon.available', 'balloon.usable', 'balloon.last-update', 'balloon.disk_caches', 'balloon.rss',
      'vcpu.current', 'vcpu.maximum', 'vcpu.0.state', 'vcpu.0.time', 'vcpu.0.delay',
      'net.count', 'net.0.name', 'net.0.rx.bytes', 'net.0.rx.pkts', 'net.0.rx.errs', 'net.0.rx.drop',
      'net.0.tx.bytes', 'net.0.tx.pkts', 'net.0.tx.errs', 'net.0.tx.drop',
      'block.count', 'block.0.name', 'block.0.path', 'block.0.rd.reqs', 'block.0.rd.bytes', 'block.0.rd.times',
      'block.0.wr.reqs', 'block.0.wr.bytes', 'block.0.wr.times', 'block.0.fl.reqs', 'block.0.fl.times',
      'block.0.allocation', 'block.0.capacity', 'block.0.physical',
      'virtmon.cgroup.memory.current', 'virtmon.cgroup.cpu.throttled',
    ];
    const missing = expected.filter((f) => !s.fields.has(f));
    assert.deepEqual(missing, [], `present: ${[...s.fields.keys()].join(' ')}`);
    assert.equal(s.fields.get('balloon.current'), 131072n);
    assert.equal(s.fields.get('balloon.maximum'), 131072n);
    assert.equal(s.fields.get('block.0.capacity'), 8n * 1024n * 1024n);
    assert.equal(s.fields.get('net.0.name'), tap?.name);
    assert.equal(s.flags.timedOut, false);
    assert.equal(s.flags.cached, false);
    assert.equal(s.flags.lastSuccess, s.time);
  });

  test('the guest\'s disk writes move block.0.wr.bytes by at least 64 KiB per heartbeat', async () => {
    const s1 = await cycle();
    const b1 = await beats(); // beats logged after s1; the next one may have written before s1
    const b2 = await pollUntil('5 more heartbeats', 30_000, async () => {
      const b = await beats();
      return b >= b1 + 5 ? b : undefined;
    });
    const s2 = await cycle(); // every write of beats b1+2 … b2 finished between s1 and s2
    const written = BigInt(b2 - b1 - 1) * 65536n;
    const delta = u64(s2, 'block.0.wr.bytes') - u64(s1, 'block.0.wr.bytes');
    assert.ok(delta >= written, `wr.bytes +${delta} vs ${written} written by the guest`);
    assert.ok(u64(s2, 'block.0.wr.reqs') > u64(s1, 'block.0.wr.reqs'));
    assert.ok(u64(s2, 'block.0.rd.bytes') > u64(s1, 'block.0.rd.bytes'), 'the guest reads back what it wrote');
    // An independent read of the same counter afterwards is never behind the sample.
    const direct = (await client?.execute('query-blockstats'))?.find((e) => e.qdev?.includes('virtio-disk0'))?.stats.wr_bytes;
    assert.ok(direct !== undefined && BigInt(direct) >= u64(s2, 'block.0.wr.bytes'));
  });

  test('ping traffic moves net.0 (guest view: the host tap\'s rx is the guest\'s tx)', async () => {
    const s1 = await cycle();
    const tap1 = await tap!.counters();
    await pollUntil('the guest to ping again', 30_000, async () => ((await tap!.counters()).rxPackets >= tap1.rxPackets + 3 ? true : undefined));
    const s2 = await cycle();
    const tap2 = await tap!.counters();
    assert.ok(u64(s2, 'net.0.tx.pkts') >= u64(s1, 'net.0.tx.pkts') + 3n, 'echo requests sent by the guest');
    assert.ok(u64(s2, 'net.0.rx.pkts') > u64(s1, 'net.0.rx.pkts'), 'echo replies received by the guest');
    assert.ok(u64(s2, 'net.0.tx.bytes') > u64(s1, 'net.0.tx.bytes'));
    // The sample sits between the two sysfs reads of the host side.
    assert.ok(u64(s2, 'net.0.tx.pkts') >= BigInt(tap1.rxPackets) && u64(s2, 'net.0.tx.pkts') <= BigInt(tap2.rxPackets));
  });

  test('cpu.time grows by the CPU QEMU used: within 5% of /proc/PID/stat utime+stime', async () => {
    const pid = qemu!.pid;
    const ticks = BigInt(sources.host.clockTicks);
    const procNs = (): bigint => {
      const st = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      assert.ok(st !== undefined);
      return ((st.utime + st.stime) * 1_000_000_000n) / ticks;
    };
    // Both reads at an instant when QEMU cannot run: SIGSTOP, read, SIGCONT (QMP is not used here).
    const frozen = async (): Promise<{ cg: bigint; proc: bigint }> => {
      qemu!.child.kill('SIGSTOP');
      try {
        await sleep(20);
        const [s] = await sampleOnce([target], ['cpu-total'], Date.now(), { sources });
        return { cg: u64(s!, 'cpu.time'), proc: procNs() };
      } finally {
        qemu!.child.kill('SIGCONT');
      }
    };
    const a = await frozen();
    // Long enough that 10 ms clock ticks stay under 1% of the window: 2 s of QEMU CPU. The guest alone
    // uses a few % of a core, so QMP traffic (about 0.2 ms of QEMU main-loop CPU per command) adds load.
    for (let round = 0; round < 500 && procNs() - a.proc < 2_000_000_000n; round++) {
      await Promise.all(Array.from({ length: 200 }, () => client!.execute('query-status')));
    }
    const b = await frozen();
    assert.ok(b.proc - a.proc >= 2_000_000_000n, 'QEMU used 2 s of CPU');
    const dCg = b.cg - a.cg;
    const dProc = b.proc - a.proc;
    const diff = dCg > dProc ? dCg - dProc : dProc - dCg;
    assert.ok(diff * 20n <= dProc, `cgroup cpu.time +${dCg} ns vs /proc utime+stime +${dProc} ns (diff ${diff})`);
  });
});
