// Command lines from buildQemuCommandLine, launched by a real QEMU 7.2: it must accept every option,
// create the devices under libvirt's aliases and block node names, and boot the test guest.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import type { DomainDef } from '../../../src/domain/def.ts';
import { buildQemuCommandLine } from '../../../src/drivers/qemu/argv.ts';
import { QmpClient } from '../../../src/drivers/qemu/qmp/client.ts';
import { fileDisk, minimalDef, nic } from '../../helpers/domain-defs.ts';
import { pollUntil, spawnQemu, type QemuProcess } from '../../helpers/qemu.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

interface Launched { qemu: QemuProcess; client: QmpClient; tmp: ShortTempDir }

/** Launches `def` under TCG and connects QMP; everything is torn down in t.after, also on failure. */
async function launch(t: { after(fn: () => Promise<void>): void }, tmp: ShortTempDir, def: DomainDef, serialLog?: string): Promise<Launched> {
  const cl = buildQemuCommandLine(def, {
    accel: 'tcg',
    paths: { monitorSocket: tmp.path('mon.sock'), pidfile: tmp.path('qemu.pid'), ...(serialLog === undefined ? {} : { serialLog }) },
  });
  const qemu = spawnQemu(cl.argv);
  const client = new QmpClient({ path: tmp.path('mon.sock'), connectTimeoutMs: 15_000 });
  t.after(async () => {
    await client.close();
    await qemu.kill();
    await tmp.remove();
  });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`QEMU did not come up: ${qemu.stderr()}`, { cause: err });
  }
  return { qemu, client, tmp };
}

const peripherals = async (client: QmpClient): Promise<string[]> =>
  (await client.execute<Array<{ name: string; type: string }>>('qom-list', { path: '/machine/peripheral' }))
    .filter((p) => p.type.startsWith('child<')).map((p) => p.name).sort();

describe('QEMU 7.2 accepts the generated command lines', () => {
  test('pc machine with every disk bus, NICs, serial log, virtio console, VNC, balloon and the sandbox', async (t) => {
    const tmp = await shortTempDir('a');
    const img = (name: string, fmt: 'raw' | 'qcow2'): string => {
      const p = tmp.path(name);
      execFileSync('qemu-img', ['create', '-q', '-f', fmt, p, '16M']);
      return p;
    };
    const def = minimalDef({
      name: 'vmt,argv',
      type: 'kvm',
      maxMemory: { kib: 524288, slots: 2 },
      vcpu: { max: 2, current: 1 },
      os: { type: 'hvm', machine: 'pc', boot: ['hd', 'network'], extra: [] },
      extra: [{ name: 'cpu', attrs: { mode: 'host-passthrough' }, children: [] }],
      devices: {
        disks: [
          fileDisk('vda', img('root.qcow2', 'qcow2'), { driver: { type: 'qcow2', cache: 'writeback', discard: 'unmap' } }),
          fileDisk('hda', img('ide.raw', 'raw')),
          { ...fileDisk('hdc', ''), device: 'cdrom' },
          { ...fileDisk('hdd', img('cd.raw', 'raw')), device: 'cdrom' },
          fileDisk('sda', img('sata.raw', 'raw'), { target: { dev: 'sda', bus: 'sata' }, serial: 'SER,1' }),
          fileDisk('sdc', img('scsi.raw', 'raw'), { target: { dev: 'sdc', bus: 'scsi' } }),
        ],
        interfaces: [nic('user', { mac: '52:54:00:12:34:56' }), nic('user', { model: 'e1000' })],
        serials: [{ type: 'pty', extraAttrs: {}, extra: [] }],
        consoles: [{ type: 'pty', targetType: 'virtio', extraAttrs: {}, extra: [] }],
        graphics: [{ type: 'vnc', autoport: true, extraAttrs: {}, extra: [] }],
        other: [],
      },
    });
    const { client, qemu } = await launch(t, tmp, def, tmp.path('serial.log'));
    assert.equal((await client.execute('query-status')).status, 'prelaunch');
    assert.deepEqual(await peripherals(client), [
      'balloon0', 'console0', 'ide0-0-0', 'ide0-1-0', 'ide0-1-1', 'net0', 'net1', 'sata0', 'sata0-0-0', 'scsi0', 'scsi0-0-0-2',
      'serial0', 'video0', 'virtio-disk0', 'virtio-serial0',
    ].sort());
    const nodes = (await client.execute('query-named-block-nodes', { flat: true })).map((n) => n['node-name']).sort();
    assert.deepEqual(nodes, ['libvirt-1-format', 'libvirt-1-storage', 'libvirt-2-format', 'libvirt-2-storage',
      'libvirt-3-format', 'libvirt-3-storage', 'libvirt-5-format', 'libvirt-5-storage', 'libvirt-6-format', 'libvirt-6-storage']);
    const cdrom = (await client.execute('query-named-block-nodes', { flat: true })).find((n) => n['node-name'] === 'libvirt-3-format');
    assert.equal(cdrom?.ro, true, 'a cdrom with media is read-only');
    const mac = await client.execute<string>('qom-get', { path: '/machine/peripheral/net0', property: 'mac' });
    assert.equal(mac, '52:54:00:12:34:56');
    assert.equal(Number((await readFile(tmp.path('qemu.pid'), 'utf8')).trim()), qemu.pid);
    const cmdline = (await readFile(`/proc/${qemu.pid}/cmdline`, 'utf8')).split('\0');
    assert.ok(cmdline.includes('guest=vmt,,argv,debug-threads=on'));
  });

  test('q35 machine with a SATA disk on the built-in AHCI', async (t) => {
    const tmp = await shortTempDir('b');
    const disk = tmp.path('d.raw');
    await writeFile(disk, Buffer.alloc(1024 * 1024));
    const def = minimalDef({
      type: 'qemu',
      os: { type: 'hvm', machine: 'q35', boot: ['hd'], extra: [] },
      devices: { disks: [fileDisk('sda', disk, { target: { dev: 'sda', bus: 'sata' } })], interfaces: [], serials: [], consoles: [], graphics: [], other: [] },
    });
    const { client } = await launch(t, tmp, def);
    const block = await client.execute('query-block');
    // Non-virtio front ends report their id as qdev (virtio-blk: /machine/peripheral/ID/virtio-backend).
    assert.equal(block[0]?.qdev, 'sata0-0-0');
    assert.equal(block[0]?.inserted?.['node-name'], 'libvirt-1-format');
  });

  test('boots the test guest from a generated command line (sandbox on, serial log, -blockdev disk)', async (t) => {
    const guest = locateTestGuest();
    const tmp = await shortTempDir('c');
    const disk = tmp.path('d.raw');
    await writeFile(disk, Buffer.alloc(8 * 1024 * 1024));
    const def = minimalDef({
      type: 'qemu',
      os: { type: 'hvm', machine: 'pc', boot: [], extra: [], kernel: guest.kernel, initrd: guest.initrd, cmdline: guest.append() },
      devices: { disks: [fileDisk('vda', disk)], interfaces: [nic('user')], serials: [], consoles: [], graphics: [], other: [] },
    });
    const { client } = await launch(t, tmp, def, tmp.path('serial.log'));
    const resumed = client.waitForEvent('RESUME', undefined, 10_000);
    await client.execute('cont');
    await resumed;
    await waitForSerial(tmp.path('serial.log'), 'GUEST-UP', 60_000);
    const wr = async (): Promise<number> =>
      (await client.execute('query-blockstats')).find((s) => s['node-name'] === 'libvirt-1-format')?.stats.wr_bytes ?? -1;
    const start = await wr();
    await pollUntil('wr_bytes to grow', 30_000, async () => ((await wr()) > start ? true : undefined));
  });
});
