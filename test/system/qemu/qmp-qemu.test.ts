// The QMP client against a real QEMU 7.2 (TCG, paused at start, no guest code runs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { QmpClient } from '../../../src/drivers/qemu/qmp/client.ts';
import { guestStatValue, type QmpEvent, type QmpGuestStats } from '../../../src/drivers/qemu/qmp/types.ts';
import { spawnQemu, type QemuProcess } from '../../helpers/qemu.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

describe('QMP client against QEMU 7.2', () => {
  let tmp: ShortTempDir;
  let qemu: QemuProcess | undefined;
  let client: QmpClient;
  const events: QmpEvent[] = [];

  before(async () => {
    tmp = await shortTempDir('s');
    const disk = tmp.path('disk.raw');
    await writeFile(disk, Buffer.alloc(1024 * 1024));
    qemu = spawnQemu([
      '-name', 'guest=vmtqmp,debug-threads=on',
      '-S', '-display', 'none', '-nodefaults', '-machine', 'pc', '-accel', 'tcg', '-m', '64', '-smp', '2',
      '-chardev', `socket,id=mon,path=${tmp.path('mon.sock')},server=on,wait=off`, '-mon', 'chardev=mon,mode=control',
      '-blockdev', JSON.stringify({ driver: 'file', filename: disk, 'node-name': 'libvirt-1-storage' }),
      '-blockdev', JSON.stringify({ driver: 'raw', file: 'libvirt-1-storage', 'node-name': 'libvirt-1-format' }),
      '-device', 'virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0',
      '-device', 'virtio-balloon-pci,id=balloon0',
    ]);
    // No wait for the socket: the client retries until QEMU has created it.
    client = new QmpClient({ path: tmp.path('mon.sock'), connectTimeoutMs: 15_000 });
    client.onAnyEvent((ev) => events.push(ev));
    await client.connect();
  });

  after(async () => {
    await client?.close();
    await qemu?.kill();
    await tmp?.remove();
  });

  test('greeting and query-version report QEMU 7.2', async () => {
    assert.equal(client.state, 'ready');
    assert.equal(client.greeting?.QMP.version.qemu.major, 7);
    assert.ok(client.greeting?.QMP.capabilities.includes('oob'));
    const version = await client.execute('query-version');
    assert.deepEqual(version.qemu, client.greeting?.QMP.version.qemu);
  });

  test('query-status is prelaunch under -S; cont emits RESUME and runs; stop emits STOP and pauses', async () => {
    const before = await client.execute('query-status');
    assert.equal(before.status, 'prelaunch');
    assert.equal(before.running, false);

    const resumed = client.waitForEvent('RESUME', undefined, 10_000);
    await client.execute('cont');
    const resume = await resumed;
    assert.ok(resume.timestamp.seconds > 0);
    assert.deepEqual(await client.execute('query-status'), { status: 'running', running: true, singlestep: false });

    const stopped = client.waitForEvent('STOP', undefined, 10_000);
    await client.execute('stop');
    await stopped;
    const after = await client.execute('query-status');
    assert.equal(after.status, 'paused');
    assert.equal(after.running, false);
    assert.deepEqual(events.map((e) => e.event), ['RESUME', 'STOP']);
  });

  test('query-cpus-fast lists each vCPU with a thread of the QEMU process', async () => {
    const cpus = await client.execute('query-cpus-fast');
    assert.equal(cpus.length, 2);
    assert.deepEqual(cpus.map((c) => c['cpu-index']), [0, 1]);
    for (const cpu of cpus) {
      assert.equal(cpu.target, 'x86_64');
      assert.ok(existsSync(`/proc/${qemu?.pid}/task/${cpu['thread-id']}`), `vCPU thread ${cpu['thread-id']} belongs to QEMU`);
    }
  });

  test('query-blockstats and query-named-block-nodes describe the -blockdev disk', async () => {
    const stats = await client.execute('query-blockstats');
    assert.equal(stats.length, 1);
    const disk = stats[0];
    assert.ok(disk !== undefined);
    assert.equal(disk['node-name'], 'libvirt-1-format');
    assert.equal(disk.qdev, '/machine/peripheral/virtio-disk0/virtio-backend');
    assert.equal(disk.parent?.['node-name'], 'libvirt-1-storage');
    for (const key of ['rd_bytes', 'wr_bytes', 'rd_operations', 'wr_operations', 'flush_operations', 'rd_total_time_ns'] as const) {
      assert.equal(typeof disk.stats[key], 'number', key);
    }
    const nodes = await client.execute('query-named-block-nodes', { flat: true });
    const format = nodes.find((n) => n['node-name'] === 'libvirt-1-format');
    assert.equal(format?.image['virtual-size'], 1024 * 1024);
    assert.equal(format?.drv, 'raw');
  });

  test('query-balloon, guest-stats without a guest, query-migrate and query-block', async () => {
    assert.equal((await client.execute('query-balloon')).actual, 64 * 1024 * 1024);
    const gs = await client.execute<QmpGuestStats>('qom-get', { path: '/machine/peripheral/balloon0', property: 'guest-stats' });
    assert.equal(gs['last-update'], 0);
    assert.equal(guestStatValue(gs.stats['stat-total-memory']), undefined, 'no guest driver: QEMU reports 2^64-1');
    assert.deepEqual(await client.execute('query-migrate'), {});
    const block = await client.execute('query-block');
    assert.equal(block[0]?.inserted?.['node-name'], 'libvirt-1-format');
  });

  test('a real QMP error becomes INTERNAL_ERROR with the QMP class', async () => {
    await assert.rejects(client.execute('qom-get', { path: '/nope', property: 'x' }), (err: unknown) => {
      assert.ok(err instanceof VirtmonError);
      assert.equal(err.message, "internal error: unable to execute QEMU command 'qom-get': Device '/nope' not found");
      assert.equal(err.qmpClass, 'DeviceNotFound');
      return true;
    });
    await assert.rejects(client.execute('no-such-command'), (err: unknown) => err instanceof VirtmonError && err.qmpClass === 'CommandNotFound');
  });

  test('many commands in flight against QEMU all resolve', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      (i % 2 === 0 ? client.execute('query-status') : client.execute('query-balloon'))));
    assert.equal(results.length, 50);
  });

  test('quit: SHUTDOWN host-qmp-quit, then EOF closes the client and later commands are refused', async () => {
    const closed = new Promise<VirtmonError>((resolve) => client.onClose(resolve));
    const shutdown = client.waitForEvent('SHUTDOWN', undefined, 10_000);
    await client.execute('quit');
    const ev = await shutdown;
    assert.deepEqual(ev.data, { guest: false, reason: 'host-qmp-quit' });
    const reason = await closed;
    assert.equal(reason.code, 'VIRTMON_ERR_QMP_INTERRUPTED');
    assert.equal(client.state, 'closed');
    await assert.rejects(client.execute('query-status'), (err: unknown) => err instanceof VirtmonError && err.code === 'VIRTMON_ERR_QMP_INTERRUPTED');
    const exit = await qemu?.exited;
    assert.equal(exit?.code, 0);
  });
});

describe('QMP client when QEMU dies', () => {
  test('SIGKILL while an event wait is pending: the wait and the client end with QMP_INTERRUPTED', async (t) => {
    const tmp = await shortTempDir('k');
    const qemu = spawnQemu([
      '-S', '-display', 'none', '-nodefaults', '-machine', 'pc', '-accel', 'tcg', '-m', '64',
      '-chardev', `socket,id=mon,path=${tmp.path('mon.sock')},server=on,wait=off`, '-mon', 'chardev=mon,mode=control',
    ]);
    const client = new QmpClient({ path: tmp.path('mon.sock'), connectTimeoutMs: 15_000 });
    t.after(async () => {
      await client.close();
      await qemu.kill();
      await tmp.remove();
    });
    await client.connect();
    // Subscribed before the kill, so the wait is pending when the monitor goes away.
    const waiting = client.waitForEvent('RESUME', undefined, 30_000);
    const rejected = assert.rejects(waiting, (err: unknown) => err instanceof VirtmonError && err.code === 'VIRTMON_ERR_QMP_INTERRUPTED');
    process.kill(qemu.pid, 'SIGKILL');
    await rejected;
    assert.equal(client.state, 'closed');
  });
});
