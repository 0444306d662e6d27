// The qemu driver end to end on real QEMU 7.2 with the test guest under TCG: define → start → suspend →
// resume → save → restore → shutdown → start → destroy → undefine, asserting state, reason and events
// at each step and that QEMU's own query-status agrees; on the way the guest's disk and network
// counters move, the balloon, a reboot and disk/NIC hot-plug work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import type { DomainRef } from '../../../src/domain/domain-ref.ts';
import { LifecycleType, ResumedDetail, ShutdownDetail, StartedDetail, StoppedDetail, SuspendedDetail, UndefinedDetail, DefinedDetail } from '../../../src/domain/events.ts';
import { DomainState, PausedReason, RunningReason, ShutoffReason } from '../../../src/domain/states.ts';
import type { StatsTarget } from '../../../src/domain/stats-target.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import type { QmpBlockStats, QmpStatusInfo } from '../../../src/drivers/qemu/qmp/types.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { cgroupDirsUnder, guestXml, pidsReferencing, qemuDriverEnv, rawDisk, recordEvents, tapsWithPrefix, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';

const ev = (type: number, detail: number): string => `${type}/${detail}`;

describe('qemu driver: the test guest through its whole lifecycle', () => {
  let env: QemuDriverEnv;
  let conn: Connection;
  let rec: ReturnType<typeof recordEvents>;
  let dom: DomainRef;
  let serial: string;
  let tap: string;
  const name = `vmtlife${process.pid}`;

  before(async () => {
    env = await qemuDriverEnv('l');
    conn = await env.open();
    rec = recordEvents(conn);
    const guest = locateTestGuest();
    serial = env.tmp.path('serial.log');
    tap = `${env.tapPrefix}a`;
    const net = `10.${100 + (process.pid % 100)}.${process.pid % 250}`;
    dom = await conn.defineXML(guestXml({
      name,
      guest: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append({ guestCidr: `${net}.2/24`, hostIp: `${net}.1` }) },
      disk: await rawDisk(env.tmp.path('disk.raw')),
      tap: { name: tap, hostCidr: `${net}.1/24` },
      serialLog: serial,
    }));
  });

  after(async () => {
    rec?.stop();
    await conn?.close();
    await env?.sweep();
  });

  /** The target of our domain. */
  const target = async (): Promise<StatsTarget> => {
    const t = (await conn.statsTargets()).find((x) => x.ref.uuid === dom.uuid);
    assert.ok(t !== undefined);
    return t;
  };
  const qemuStatus = async (): Promise<QmpStatusInfo> => {
    const t = await target();
    assert.ok(t.qmp !== undefined);
    return t.qmp.execute<QmpStatusInfo>('query-status');
  };
  const since = (n: number): string[] => rec.lifecycle(name).slice(n);
  const waitState = (state: number, reason: number): Promise<true> =>
    pollUntil(`state ${state}/${reason}`, 60_000, async () => {
      const s = await conn.getState(dom);
      return s.state === state && s.reason === reason ? true : undefined;
    }, 100);
  const assertNothingLeft = async (): Promise<void> => {
    assert.deepEqual(await pidsReferencing(env.tmp.dir), [], 'no QEMU left');
    assert.deepEqual(await tapsWithPrefix(tap), [], 'tap removed');
    assert.deepEqual((await cgroupDirsUnder(env.partition)).filter((d) => d.includes('virtmon-')), [], 'cgroups removed');
    await assert.rejects(access(env.tmp.path('run/' + name + '.status.json')), 'status file removed');
  };

  test('define: shut off (unknown), DEFINED/ADDED, config written', async () => {
    assert.deepEqual(await conn.getState(dom), { state: DomainState.SHUTOFF, reason: ShutoffReason.UNKNOWN });
    assert.deepEqual(rec.lifecycle(name), [ev(LifecycleType.DEFINED, DefinedDetail.ADDED)]);
    assert.match(await readFile(env.tmp.path(`state/config/${name}.xml`), 'utf8'), new RegExp(`<name>${name}</name>`));
  });

  test('start: running (booted), STARTED/BOOTED, QEMU running in its cgroups with its tap', async () => {
    const n = rec.lifecycle(name).length;
    dom = await conn.create(dom);
    assert.ok(dom.id > 0);
    assert.deepEqual(await conn.getState(dom), { state: DomainState.RUNNING, reason: RunningReason.BOOTED });
    assert.deepEqual(since(n), [ev(LifecycleType.STARTED, StartedDetail.BOOTED)]);
    assert.equal((await qemuStatus()).status, 'running');
    const t = await target();
    assert.ok(t.pid !== undefined && t.pid > 0);
    assert.equal(t.vcpuTids?.length, 1);
    assert.deepEqual(t.nics, [{ index: 0, hostDev: tap, swapRxTx: true }]);
    assert.equal(t.disks[0]?.qdevId, 'virtio-disk0');
    const cpuGroup = t.cgroup?.v1?.cpu;
    assert.ok(cpuGroup !== undefined && cpuGroup.startsWith(`${env.partition}/virtmon-${dom.id}-${name}`), String(cpuGroup));
    const emulatorTasks = await readFile(`/sys/fs/cgroup/cpu${cpuGroup}/emulator/cgroup.procs`, 'utf8');
    assert.ok(emulatorTasks.split('\n').includes(String(t.pid)));
    const vcpuTasks = await readFile(`/sys/fs/cgroup/cpu${cpuGroup}/vcpu0/tasks`, 'utf8');
    assert.equal(vcpuTasks.trim(), String(t.vcpuTids?.[0]));
    assert.deepEqual(await tapsWithPrefix(tap), [tap]);
    assert.match(await conn.getXMLDesc(dom), new RegExp(`<domain type='qemu' id='${dom.id}'`));
  });

  test('the guest boots under TCG and its disk and network counters move', async () => {
    await waitForSerial(serial, 'GUEST-UP', 90_000);
    const t = await target();
    const qmp = t.qmp;
    assert.ok(qmp !== undefined);
    const qdev = `/machine/peripheral/${t.disks[0]?.qdevId ?? ''}/virtio-backend`;
    const stats = async (): Promise<QmpBlockStats['stats'] | undefined> =>
      (await qmp.execute<QmpBlockStats[]>('query-blockstats')).find((s) => s.qdev === qdev)?.stats;
    const first = await stats();
    assert.ok(first !== undefined, 'the disk is in query-blockstats under its qdev');
    await pollUntil('disk counters to grow', 60_000, async () => {
      const now = await stats();
      return now !== undefined && now.wr_bytes > first.wr_bytes && now.rd_bytes > first.rd_bytes ? true : undefined;
    });
    const sys = async (f: string): Promise<number> => Number(await readFile(`/sys/class/net/${tap}/statistics/${f}`, 'utf8'));
    const rx = await sys('rx_packets');
    const tx = await sys('tx_packets');
    await pollUntil('tap packet counters to grow', 60_000, async () => ((await sys('rx_packets')) > rx && (await sys('tx_packets')) > tx ? true : undefined));
  });

  test('suspend: paused (user), SUSPENDED/PAUSED, QEMU paused; a second suspend is a no-op', async () => {
    const n = rec.lifecycle(name).length;
    await conn.suspend(dom);
    assert.deepEqual(await conn.getState(dom), { state: DomainState.PAUSED, reason: PausedReason.USER });
    assert.deepEqual(since(n), [ev(LifecycleType.SUSPENDED, SuspendedDetail.PAUSED)]);
    assert.equal((await qemuStatus()).status, 'paused');
    await conn.suspend(dom);
    assert.deepEqual(since(n), [ev(LifecycleType.SUSPENDED, SuspendedDetail.PAUSED)]);
    await assert.rejects(conn.shutdown(dom), { message: 'Requested operation is not valid: domain is not running' });
  });

  test('resume: running (unpaused), RESUMED/UNPAUSED, QEMU running; resuming again is refused', async () => {
    const n = rec.lifecycle(name).length;
    await conn.resume(dom);
    assert.deepEqual(await conn.getState(dom), { state: DomainState.RUNNING, reason: RunningReason.UNPAUSED });
    assert.deepEqual(since(n), [ev(LifecycleType.RESUMED, ResumedDetail.UNPAUSED)]);
    assert.equal((await qemuStatus()).status, 'running');
    await assert.rejects(conn.resume(dom), { message: 'Requested operation is not valid: domain is already running' });
  });

  test('setMemory moves the balloon: BALLOON_CHANGE and the new current memory', async () => {
    await conn.setMemory(dom, 96 * 1024);
    await pollUntil('balloon-change event', 60_000, () => (rec.events.some((e) => e.kind === 'balloon-change' && e.actualKiB === 96 * 1024) ? true : undefined));
    assert.equal((await conn.getInfo(dom)).memoryKiB, 96 * 1024);
    await assert.rejects(conn.setMemory(dom, 256 * 1024), { message: 'invalid argument: cannot set memory higher than max memory' });
  });

  test('hot-plug: a disk and a NIC are attached and detached', async () => {
    const extra = await rawDisk(env.tmp.path('extra.raw'), 4);
    await conn.attachDevice(dom, `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${extra}'/><target dev='vdb' bus='virtio'/></disk>`);
    const nicTap = `${env.tapPrefix}b`;
    await conn.attachDevice(dom, `<interface type='ethernet'><mac address='52:54:00:aa:bb:01'/><target dev='${nicTap}'/><model type='virtio'/></interface>`);
    let t = await target();
    assert.deepEqual(t.disks.map((d) => d.qdevId), ['virtio-disk0', 'virtio-disk1']);
    assert.deepEqual(t.nics.map((x) => x.hostDev), [tap, nicTap]);
    assert.deepEqual(await tapsWithPrefix(nicTap), [nicTap]);
    const added = rec.events.filter((e) => e.kind === 'device-added').map((e) => (e.kind === 'device-added' ? e.alias : ''));
    assert.deepEqual(added, ['virtio-disk1', 'net1']);
    await conn.detachDevice(dom, "<disk type='file' device='disk'><target dev='vdb' bus='virtio'/></disk>");
    await conn.detachDevice(dom, "<interface type='ethernet'><mac address='52:54:00:aa:bb:01'/></interface>");
    await pollUntil('DEVICE_REMOVED for both', 60_000, () => (rec.events.filter((e) => e.kind === 'device-removed').length === 2 ? true : undefined));
    t = await target();
    assert.deepEqual(t.disks.map((d) => d.qdevId), ['virtio-disk0']);
    assert.deepEqual(t.nics.map((x) => x.hostDev), [tap]);
    assert.deepEqual(await tapsWithPrefix(nicTap), []);
  });

  test('reboot: REBOOT event, still running, the guest comes up again', async () => {
    const before = (await readFile(serial, 'utf8')).split('GUEST-UP').length;
    const reboots = rec.events.filter((e) => e.kind === 'reboot').length;
    await conn.reboot(dom);
    await pollUntil('REBOOT event', 60_000, () => (rec.events.filter((e) => e.kind === 'reboot').length > reboots ? true : undefined));
    await pollUntil('GUEST-UP again', 90_000, async () => ((await readFile(serial, 'utf8')).split('GUEST-UP').length > before ? true : undefined));
    assert.equal((await conn.getState(dom)).state, DomainState.RUNNING);
    assert.equal((await qemuStatus()).status, 'running');
  });

  test('save: shut off (saved), SUSPENDED then STOPPED/SAVED, QEMU, tap and cgroups gone', async () => {
    const n = rec.lifecycle(name).length;
    await conn.save(dom, env.tmp.path('guest.save'));
    assert.deepEqual(await conn.getState(dom), { state: DomainState.SHUTOFF, reason: ShutoffReason.SAVED });
    assert.deepEqual(since(n), [ev(LifecycleType.SUSPENDED, SuspendedDetail.PAUSED), ev(LifecycleType.STOPPED, StoppedDetail.SAVED)]);
    const head = (await readFile(env.tmp.path('guest.save'))).subarray(0, 16).toString('latin1');
    assert.equal(head, 'LibvirtQemudSave');
    await assertNothingLeft();
  });

  test('restore: running (restored), STARTED/RESTORED, the guest carries on', async () => {
    const n = rec.lifecycle(name).length;
    const beats = (await readFile(serial, 'utf8')).split('virtmon-guest: beat').length;
    dom = await conn.restore(env.tmp.path('guest.save'));
    assert.deepEqual(await conn.getState(dom), { state: DomainState.RUNNING, reason: RunningReason.RESTORED });
    assert.deepEqual(since(n), [ev(LifecycleType.STARTED, StartedDetail.RESTORED)]);
    assert.equal((await qemuStatus()).status, 'running');
    await pollUntil('heartbeats after restore', 60_000, async () => ((await readFile(serial, 'utf8')).split('virtmon-guest: beat').length > beats ? true : undefined));
  });

  test('shutdown: the guest powers off: SHUTDOWN/GUEST, then shut off (shutdown), STOPPED/SHUTDOWN', async () => {
    const n = rec.lifecycle(name).length;
    await conn.shutdown(dom);
    await waitState(DomainState.SHUTOFF, ShutoffReason.SHUTDOWN);
    assert.deepEqual(since(n), [ev(LifecycleType.SHUTDOWN, ShutdownDetail.GUEST), ev(LifecycleType.STOPPED, StoppedDetail.SHUTDOWN)]);
    await assertNothingLeft();
  });

  test('start again, then destroy: shut off (destroyed), STOPPED/DESTROYED, nothing left', async () => {
    let n = rec.lifecycle(name).length;
    dom = await conn.create(dom);
    assert.deepEqual(since(n), [ev(LifecycleType.STARTED, StartedDetail.BOOTED)]);
    assert.equal((await qemuStatus()).status, 'running');
    n = rec.lifecycle(name).length;
    await conn.destroy(dom);
    assert.deepEqual(await conn.getState(dom), { state: DomainState.SHUTOFF, reason: ShutoffReason.DESTROYED });
    assert.deepEqual(since(n), [ev(LifecycleType.STOPPED, StoppedDetail.DESTROYED)]);
    await assertNothingLeft();
    await assert.rejects(conn.destroy(dom), { message: 'Requested operation is not valid: domain is not running' });
  });

  test('undefine: UNDEFINED/REMOVED, gone from the list and from disk', async () => {
    const n = rec.lifecycle(name).length;
    await conn.undefine(dom);
    assert.deepEqual(since(n), [ev(LifecycleType.UNDEFINED, UndefinedDetail.REMOVED)]);
    assert.equal((await conn.listAllDomains()).some((d) => d.name === name), false);
    await assert.rejects(access(env.tmp.path(`state/config/${name}.xml`)));
  });
});
