// Boots the cached test guest under TCG (a Linux guest hangs early under the nested KVM of the test
// machines, libvirt-semantics.md §15) with a raw virtio disk, a tap NIC and a balloon, and checks
// through QMP and sysfs that its workload moves the counters virtmon collects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { QmpClient } from '../../../src/drivers/qemu/qmp/client.ts';
import { guestStatValue, type QmpGuestStats } from '../../../src/drivers/qemu/qmp/types.ts';
import { pollUntil, spawnQemu, type QemuProcess } from '../../helpers/qemu.ts';
import { createTap, type TestTap } from '../../helpers/tap.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const BALLOON = '/machine/peripheral/balloon0';

describe('test guest under TCG', () => {
  let tmp: ShortTempDir | undefined;
  let tap: TestTap | undefined;
  let qemu: QemuProcess | undefined;
  let client: QmpClient | undefined;

  before(async () => {
    const guest = locateTestGuest();
    tmp = await shortTempDir('g');
    tap = await createTap();
    const disk = tmp.path('disk.raw');
    await writeFile(disk, Buffer.alloc(8 * 1024 * 1024));
    qemu = spawnQemu([
      '-name', 'guest=vmtguest,debug-threads=on', '-S', '-no-shutdown',
      '-machine', 'pc', '-accel', 'tcg', '-m', '128', '-smp', '1',
      '-display', 'none', '-nodefaults', '-no-user-config',
      '-chardev', `socket,id=charmonitor,path=${tmp.path('mon.sock')},server=on,wait=off`,
      '-mon', 'chardev=charmonitor,id=monitor,mode=control',
      '-kernel', guest.kernel, '-initrd', guest.initrd,
      '-append', guest.append({ guestCidr: `${tap.guestIp}/24`, hostIp: tap.hostIp }),
      '-chardev', `file,id=charserial0,path=${tmp.path('serial.log')}`, '-serial', 'chardev:charserial0',
      '-blockdev', JSON.stringify({ driver: 'file', filename: disk, 'node-name': 'libvirt-1-storage', cache: { direct: false } }),
      '-blockdev', JSON.stringify({ driver: 'raw', file: 'libvirt-1-storage', 'node-name': 'libvirt-1-format' }),
      '-device', 'virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0',
      '-netdev', `tap,id=hostnet0,ifname=${tap.name},script=no,downscript=no`,
      '-device', 'virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:7e:57:01',
      '-device', 'virtio-balloon-pci,id=balloon0',
    ]);
    client = new QmpClient({ path: tmp.path('mon.sock'), connectTimeoutMs: 15_000 });
    await client.connect();
    await client.execute('qom-set', { path: BALLOON, property: 'guest-stats-polling-interval', value: 1 });
    const resumed = client.waitForEvent('RESUME', undefined, 10_000);
    await client.execute('cont');
    await resumed;
  });

  after(async () => {
    await client?.close();
    await qemu?.kill();
    await tap?.remove();
    await tmp?.remove();
  });

  test('boots to GUEST-UP with eth0 configured', async () => {
    assert.ok(tmp !== undefined && tap !== undefined);
    const log = await waitForSerial(tmp.path('serial.log'), 'GUEST-UP', 60_000);
    assert.match(log, new RegExp(`virtmon-guest: eth0 ${tap.guestIp.replaceAll('.', '\\.')}/24`));
  });

  test('the disk workload grows wr_bytes and rd_bytes in query-blockstats', async () => {
    assert.ok(client !== undefined && tmp !== undefined);
    const qmp = client;
    const first = await qmp.execute('query-blockstats');
    const start = first.find((s) => s['node-name'] === 'libvirt-1-format')?.stats;
    assert.ok(start !== undefined);
    const grown = await pollUntil('wr_bytes and rd_bytes to grow', 30_000, async () => {
      const now = (await qmp.execute('query-blockstats')).find((s) => s['node-name'] === 'libvirt-1-format')?.stats;
      return now !== undefined && now.wr_bytes > start.wr_bytes && now.rd_bytes > start.rd_bytes ? now : undefined;
    });
    assert.ok(grown.wr_operations > start.wr_operations);
    await waitForSerial(tmp.path('serial.log'), 'disk-write=ok disk-read=ok', 30_000);
  });

  test('the guest pings the host end of the tap: its packet counters move', async () => {
    assert.ok(tap !== undefined && tmp !== undefined);
    const t = tap;
    const start = await t.counters();
    await pollUntil('tap rx and tx packets to grow', 30_000, async () => {
      const now = await t.counters();
      return now.rxPackets > start.rxPackets && now.txPackets > start.txPackets ? now : undefined;
    });
    await waitForSerial(tmp.path('serial.log'), 'ping=ok', 30_000);
  });

  test('the balloon driver reports guest memory statistics', async () => {
    assert.ok(client !== undefined);
    const qmp = client;
    const gs = await pollUntil('balloon guest stats', 30_000, async () => {
      const r = await qmp.execute<QmpGuestStats>('qom-get', { path: BALLOON, property: 'guest-stats' });
      return r['last-update'] > 0 && guestStatValue(r.stats['stat-total-memory']) !== undefined ? r : undefined;
    });
    const total = guestStatValue(gs.stats['stat-total-memory']) ?? 0;
    assert.ok(total > 64 * 1024 * 1024 && total <= 128 * 1024 * 1024, `stat-total-memory ${total}`);
    assert.ok((guestStatValue(gs.stats['stat-free-memory']) ?? 0) > 0);
  });

  test('system_powerdown: the guest powers off (SHUTDOWN guest-shutdown, then STOP under -no-shutdown)', async () => {
    assert.ok(client !== undefined);
    const shutdown = client.waitForEvent('SHUTDOWN', undefined, 30_000);
    const stop = client.waitForEvent('STOP', undefined, 30_000);
    await client.execute('system_powerdown');
    const ev = await shutdown;
    assert.deepEqual(ev.data, { guest: true, reason: 'guest-shutdown' });
    await stop;
    assert.equal((await client.execute('query-status')).status, 'shutdown');
  });
});
