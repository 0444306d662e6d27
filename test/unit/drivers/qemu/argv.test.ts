import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { parseDomainXml } from '../../../../src/domain/xml-parse.ts';
import { buildQemuCommandLine, type QemuArgvOptions } from '../../../../src/drivers/qemu/argv.ts';
import { defaultMac } from '../../../../src/drivers/qemu/argv-devices.ts';
import { diskNameToIndex, opts, optValue } from '../../../../src/drivers/qemu/qemu-opts.ts';
import { fileDisk, minimalDef, nic } from '../../../helpers/domain-defs.ts';

const paths = { monitorSocket: '/run/virtmon/qemu/vm1/monitor.sock', pidfile: '/run/virtmon/qemu/vm1.pid' };
const base: QemuArgvOptions = { paths };

/** Values following each occurrence of `flag`. */
const valuesOf = (argv: readonly string[], flag: string): string[] =>
  argv.flatMap((a, i) => (a === flag && argv[i + 1] !== undefined ? [argv[i + 1] as string] : []));

const unsupported = (err: unknown): boolean => err instanceof VirtmonError && err.code === 'VIR_ERR_CONFIG_UNSUPPORTED';

describe('QemuOpts helpers', () => {
  test('commas in values are doubled; booleans are on/off; undefined is skipped', () => {
    assert.equal(optValue('a,b,,c'), 'a,,b,,,,c');
    assert.equal(opts('file', { id: 'x', path: '/tmp/a,b', append: false, skip: undefined }), 'file,id=x,path=/tmp/a,,b,append=off');
    assert.equal(opts('', { size: '128k', slots: 2 }), 'size=128k,slots=2');
  });

  test('disk names map to indexes as libvirt does', () => {
    assert.equal(diskNameToIndex('vda'), 0);
    assert.equal(diskNameToIndex('sdb'), 1);
    assert.equal(diskNameToIndex('hdz'), 25);
    assert.equal(diskNameToIndex('vdaa'), 26);
    assert.equal(diskNameToIndex('eth0'), undefined);
  });
});

describe('buildQemuCommandLine', () => {
  test('a minimal domain: libvirt 9 order, -S, monitor socket, balloon, sandbox, pidfile', () => {
    const cl = buildQemuCommandLine(minimalDef(), base);
    assert.equal(cl.binary, 'qemu-system-x86_64');
    assert.equal(cl.accel, 'kvm');
    assert.deepEqual(cl.argv, [
      '-name', 'guest=vm1,debug-threads=on',
      '-S',
      '-machine', 'pc,usb=off,dump-guest-core=off',
      '-accel', 'kvm',
      '-m', 'size=131072k',
      '-smp', '1,maxcpus=1,sockets=1,cores=1,threads=1',
      '-uuid', 'c7a5fdbd-cdaf-9455-926a-d65c16db1809',
      '-display', 'none',
      '-no-user-config',
      '-nodefaults',
      '-chardev', 'socket,id=charmonitor,path=/run/virtmon/qemu/vm1/monitor.sock,server=on,wait=off',
      '-mon', 'chardev=charmonitor,id=monitor,mode=control',
      '-rtc', 'base=utc',
      '-no-shutdown',
      '-boot', 'strict=on',
      '-device', 'virtio-balloon-pci,id=balloon0',
      '-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
      '-pidfile', '/run/virtmon/qemu/vm1.pid',
      '-msg', 'timestamp=on',
    ]);
    assert.deepEqual(cl.balloon, { id: 'balloon0', qomPath: '/machine/peripheral/balloon0' });
    assert.deepEqual(cl.disks, []);
    assert.deepEqual(cl.nics, []);
    assert.deepEqual(cl.ignored, []);
  });

  test('names and paths cannot inject options', () => {
    const cl = buildQemuCommandLine(minimalDef({ name: 'evil,debug-threads=off' }),
      { paths: { ...paths, monitorSocket: '/tmp/a,server=off/m.sock' } });
    assert.equal(valuesOf(cl.argv, '-name')[0], 'guest=evil,,debug-threads=off,debug-threads=on');
    assert.equal(valuesOf(cl.argv, '-chardev')[0], 'socket,id=charmonitor,path=/tmp/a,,server=off/m.sock,server=on,wait=off');
  });

  test('accelerator, memory, vCPUs, CPU model, clock, reboot policy, incoming, sandbox', () => {
    assert.equal(buildQemuCommandLine(minimalDef({ type: 'qemu' }), base).accel, 'tcg');
    assert.equal(buildQemuCommandLine(minimalDef(), { ...base, accel: 'tcg' }).accel, 'tcg');
    const cl = buildQemuCommandLine(minimalDef({
      maxMemory: { kib: 1048576, slots: 4 },
      vcpu: { max: 4, current: 2 },
      onReboot: 'destroy',
      extra: [
        { name: 'cpu', attrs: { mode: 'host-passthrough' }, children: [] },
        { name: 'clock', attrs: { offset: 'localtime' }, children: [] },
      ],
    }), { ...base, incomingDefer: true, sandbox: false });
    assert.deepEqual(valuesOf(cl.argv, '-m'), ['size=131072k,slots=4,maxmem=1048576k']);
    assert.deepEqual(valuesOf(cl.argv, '-smp'), ['2,maxcpus=4,sockets=4,cores=1,threads=1']);
    assert.deepEqual(valuesOf(cl.argv, '-cpu'), ['host']);
    assert.deepEqual(valuesOf(cl.argv, '-rtc'), ['base=localtime']);
    assert.ok(cl.argv.includes('-no-reboot'));
    assert.deepEqual(valuesOf(cl.argv, '-incoming'), ['defer']);
    assert.ok(!cl.argv.includes('-sandbox'));
    // host-passthrough cannot work under TCG: QEMU's 'max' model instead.
    const tcg = buildQemuCommandLine(minimalDef({ extra: [{ name: 'cpu', attrs: { mode: 'host-passthrough' }, children: [] }] }), { ...base, accel: 'tcg' });
    assert.deepEqual(valuesOf(tcg.argv, '-cpu'), ['max']);
    const custom = buildQemuCommandLine(minimalDef({ extra: [{ name: 'cpu', attrs: { mode: 'custom' }, children: [{ name: 'model', attrs: {}, children: ['Skylake-Client'] }] }] }), base);
    assert.deepEqual(valuesOf(custom.argv, '-cpu'), ['Skylake-Client']);
  });

  test('direct kernel boot', () => {
    const cl = buildQemuCommandLine(minimalDef({
      os: { type: 'hvm', boot: [], extra: [], kernel: '/k/vmlinuz', initrd: '/k/initrd.gz', cmdline: 'console=ttyS0 quiet' },
    }), base);
    assert.deepEqual(valuesOf(cl.argv, '-kernel'), ['/k/vmlinuz']);
    assert.deepEqual(valuesOf(cl.argv, '-initrd'), ['/k/initrd.gz']);
    assert.deepEqual(valuesOf(cl.argv, '-append'), ['console=ttyS0 quiet']);
  });

  test('virtio disks: -blockdev storage and format nodes, first disk highest N, bootindex, StatsDisk', () => {
    const cl = buildQemuCommandLine(minimalDef({
      devices: {
        disks: [
          fileDisk('vda', '/img/root.qcow2', { driver: { name: 'qemu', type: 'qcow2', cache: 'none', discard: 'unmap' }, target: { dev: 'vda', bus: 'virtio' } }),
          fileDisk('vdb', '/img/data.raw', { readonly: true, serial: 'DATA,1' }),
        ],
        interfaces: [], serials: [], consoles: [], graphics: [], other: [],
      },
    }), base);
    const blockdevs = valuesOf(cl.argv, '-blockdev').map((j) => JSON.parse(j) as Record<string, unknown>);
    assert.deepEqual(blockdevs, [
      { driver: 'file', filename: '/img/root.qcow2', 'node-name': 'libvirt-2-storage', 'auto-read-only': true, discard: 'unmap', cache: { direct: true, 'no-flush': false } },
      { 'node-name': 'libvirt-2-format', 'read-only': false, discard: 'unmap', cache: { direct: true, 'no-flush': false }, driver: 'qcow2', file: 'libvirt-2-storage' },
      { driver: 'file', filename: '/img/data.raw', 'node-name': 'libvirt-1-storage', 'auto-read-only': true, discard: 'unmap' },
      { 'node-name': 'libvirt-1-format', 'read-only': true, driver: 'raw', file: 'libvirt-1-storage' },
    ]);
    assert.deepEqual(valuesOf(cl.argv, '-device').slice(0, 2), [
      'virtio-blk-pci,drive=libvirt-2-format,id=virtio-disk0,bootindex=1,write-cache=on',
      'virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk1,serial=DATA,,1',
    ]);
    assert.deepEqual(cl.disks, [
      { index: 0, target: 'vda', path: '/img/root.qcow2', qdevId: 'virtio-disk0', formatNode: 'libvirt-2-format', storageNode: 'libvirt-2-storage' },
      { index: 1, target: 'vdb', path: '/img/data.raw', qdevId: 'virtio-disk1', formatNode: 'libvirt-1-format', storageNode: 'libvirt-1-storage' },
    ]);
  });

  test('IDE, SATA and SCSI front ends with libvirt aliases, controllers added once, an empty cdrom', () => {
    const devices = (disks: ReturnType<typeof fileDisk>[]) => ({ disks, interfaces: [], serials: [], consoles: [], graphics: [], other: [] });
    const pc = buildQemuCommandLine(minimalDef({
      os: { type: 'hvm', machine: 'pc', boot: ['cdrom', 'hd'], extra: [] },
      devices: devices([
        fileDisk('hda', '/img/a.raw'),
        { ...fileDisk('hdc', ''), device: 'cdrom' },
        fileDisk('sda', '/img/s0.raw', { target: { dev: 'sda', bus: 'sata' } }),
        fileDisk('sdb', '/img/s1.raw', { target: { dev: 'sdb', bus: 'sata' } }),
        fileDisk('sdc', '/dev/vg/lv', { type: 'block', target: { dev: 'sdc', bus: 'scsi' } }),
        fileDisk('sdd', '/img/s3.raw'),
      ]),
    }), base);
    const devs = valuesOf(pc.argv, '-device');
    assert.deepEqual(devs.filter((d) => d.startsWith('ich9-ahci') || d.startsWith('virtio-scsi')), ['virtio-scsi-pci,id=scsi0', 'ich9-ahci,id=sata0']);
    assert.ok(devs.includes('ide-hd,bus=ide.0,unit=0,drive=libvirt-6-format,id=ide0-0-0,bootindex=2'));
    assert.ok(devs.includes('ide-cd,bus=ide.1,unit=0,id=ide0-1-0,bootindex=1'));
    assert.ok(devs.includes('ide-hd,bus=sata0.0,drive=libvirt-4-format,id=sata0-0-0'));
    assert.ok(devs.includes('ide-hd,bus=sata0.1,drive=libvirt-3-format,id=sata0-0-1'));
    assert.ok(devs.includes('scsi-hd,bus=scsi0.0,channel=0,scsi-id=0,lun=2,drive=libvirt-2-format,id=scsi0-0-0-2'));
    // sd* without a bus defaults to SCSI, as libvirt's virDomainDiskGetDefaultBus.
    assert.ok(devs.includes('scsi-hd,bus=scsi0.0,channel=0,scsi-id=0,lun=3,drive=libvirt-1-format,id=scsi0-0-0-3'));
    assert.equal((JSON.parse(valuesOf(pc.argv, '-blockdev').find((b) => b.includes('/dev/vg/lv')) ?? '{}') as { driver?: string }).driver, 'host_device');
    assert.equal(pc.disks[1]?.formatNode, undefined, 'an empty cdrom has no block node');

    const q35 = buildQemuCommandLine(minimalDef({
      os: { type: 'hvm', machine: 'q35', boot: ['hd'], extra: [] },
      devices: devices([fileDisk('sda', '/img/s0.raw', { target: { dev: 'sda', bus: 'sata' } })]),
    }), base);
    assert.ok(valuesOf(q35.argv, '-device').includes('ide-hd,bus=ide.0,drive=libvirt-1-format,id=sata0-0-0,bootindex=1'));
    assert.throws(() => buildQemuCommandLine(minimalDef({ os: { type: 'hvm', machine: 'q35', boot: [], extra: [] }, devices: devices([fileDisk('hda', '/a')]) }), base), unsupported);
  });

  test('disks virtmon cannot launch are CONFIG_UNSUPPORTED', () => {
    const withDisk = (d: ReturnType<typeof fileDisk>) => minimalDef({ devices: { disks: [d], interfaces: [], serials: [], consoles: [], graphics: [], other: [] } });
    assert.throws(() => buildQemuCommandLine(withDisk({ ...fileDisk('vda', 'pool/vol'), type: 'network' }), base), unsupported);
    assert.throws(() => buildQemuCommandLine(withDisk({ ...fileDisk('vda', '/a'), device: 'cdrom' }), base), unsupported);
    assert.throws(() => buildQemuCommandLine(withDisk(fileDisk('vda', '/a', { target: { dev: 'vda', bus: 'usb' } })), base), unsupported);
    assert.throws(() => buildQemuCommandLine(withDisk(fileDisk('vda', '/a', { driver: { cache: 'bogus' } })), base), unsupported);
    assert.throws(() => buildQemuCommandLine(withDisk(fileDisk('hda', '/a', { readonly: true })), base), unsupported);
  });

  test('NICs: tap by name, user networking, models, MACs, MTU, network boot', () => {
    const def = minimalDef({
      os: { type: 'hvm', boot: ['network'], extra: [] },
      devices: {
        disks: [],
        interfaces: [
          nic('ethernet', { mac: '52:54:00:AA:BB:CC', mtu: 9000 }),
          nic('user', { model: 'e1000' }),
          nic('bridge', { source: { bridge: 'br0' } }),
        ],
        serials: [], consoles: [], graphics: [], other: [],
      },
    });
    const cl = buildQemuCommandLine(def, { paths: { ...paths, taps: ['vnet0', undefined, 'vnet1'] } });
    assert.deepEqual(valuesOf(cl.argv, '-netdev'), [
      'tap,id=hostnet0,ifname=vnet0,script=no,downscript=no',
      'user,id=hostnet1',
      'tap,id=hostnet2,ifname=vnet1,script=no,downscript=no',
    ]);
    const mac2 = defaultMac(def.uuid, 2);
    assert.match(mac2, /^52:54:00(:[0-9a-f]{2}){3}$/);
    assert.equal(defaultMac(def.uuid, 2), mac2, 'stable');
    assert.deepEqual(valuesOf(cl.argv, '-device').filter((d) => d.includes('netdev=')), [
      'virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:aa:bb:cc,host_mtu=9000,bootindex=1',
      `e1000,netdev=hostnet1,id=net1,mac=${defaultMac(def.uuid, 1)}`,
      `virtio-net-pci,netdev=hostnet2,id=net2,mac=${mac2}`,
    ]);
    assert.deepEqual(cl.nics.map((n) => n.hostDev), ['vnet0', undefined, 'vnet1']);
    assert.throws(() => buildQemuCommandLine(def, base), (err: unknown) => err instanceof VirtmonError && /no tap device for interface 0/.test(err.message));
    assert.throws(() => buildQemuCommandLine(minimalDef({ devices: { ...def.devices, interfaces: [nic('user', { model: 'ne2k_isa' })] } }), base), unsupported);
    assert.throws(() => buildQemuCommandLine(minimalDef({ devices: { ...def.devices, interfaces: [nic('direct')] } }), base), unsupported);
  });

  test('serial ports, the serial log, virtio consoles', () => {
    const logOnly = buildQemuCommandLine(minimalDef(), { paths: { ...paths, serialLog: '/var/log/virtmon/vm1.log' } });
    assert.deepEqual(valuesOf(logOnly.argv, '-chardev').slice(1), ['file,id=charserial0,path=/var/log/virtmon/vm1.log']);
    assert.ok(valuesOf(logOnly.argv, '-device').includes('isa-serial,chardev=charserial0,id=serial0,index=0'));

    const cl = buildQemuCommandLine(minimalDef({
      devices: {
        disks: [], interfaces: [], graphics: [], other: [],
        serials: [{ type: 'pty', extraAttrs: {}, extra: [] }, { type: 'unix', sourcePath: '/run/s.sock', targetPort: 1, extraAttrs: {}, extra: [] }],
        consoles: [{ type: 'pty', targetType: 'serial', extraAttrs: {}, extra: [] }, { type: 'pty', targetType: 'virtio', extraAttrs: {}, extra: [] }],
      },
    }), { paths: { ...paths, serialLog: '/log/vm1.log' } });
    assert.deepEqual(valuesOf(cl.argv, '-chardev').slice(1), [
      'pty,id=charserial0,logfile=/log/vm1.log,logappend=off',
      'socket,id=charserial1,path=/run/s.sock,server=on,wait=off',
      'pty,id=charconsole0',
    ]);
    assert.ok(valuesOf(cl.argv, '-device').includes('virtconsole,bus=virtio-serial0.0,chardev=charconsole0,id=console0'));
  });

  test('balloon: default virtio, autodeflate, none', () => {
    const none = buildQemuCommandLine(minimalDef({ devices: { ...minimalDef().devices, memballoon: { model: 'none', extra: [] } } }), base);
    assert.equal(none.balloon, undefined);
    assert.ok(!valuesOf(none.argv, '-device').some((d) => d.startsWith('virtio-balloon')));
    const deflate = buildQemuCommandLine(minimalDef({ devices: { ...minimalDef().devices, memballoon: { model: 'virtio', autodeflate: 'on', extra: [] } } }), base);
    assert.ok(valuesOf(deflate.argv, '-device').includes('virtio-balloon-pci,id=balloon0,deflate-on-oom=on'));
  });

  test('VNC graphics; other display types and unknown devices are reported', () => {
    const vnc = buildQemuCommandLine(minimalDef({ devices: { ...minimalDef().devices, graphics: [{ type: 'vnc', port: 5901, extraAttrs: {}, extra: [] }] } }), base);
    assert.deepEqual(valuesOf(vnc.argv, '-vnc'), ['127.0.0.1:1']);
    const auto = buildQemuCommandLine(minimalDef({ devices: { ...minimalDef().devices, graphics: [{ type: 'vnc', autoport: true, extraAttrs: {}, extra: [] }] } }), base);
    assert.deepEqual(valuesOf(auto.argv, '-vnc'), ['127.0.0.1:0,to=100']);
    assert.throws(() => buildQemuCommandLine(minimalDef({ devices: { ...minimalDef().devices, graphics: [{ type: 'spice', extraAttrs: {}, extra: [] }] } }), base), unsupported);
    const other = buildQemuCommandLine(minimalDef({
      devices: { ...minimalDef().devices, other: [{ name: 'controller', attrs: { type: 'usb' }, children: [] }, { name: 'rng', attrs: { model: 'virtio' }, children: [] }] },
    }), base);
    assert.deepEqual(other.ignored, ['devices/rng']);
  });

  test('domains QEMU cannot run', () => {
    assert.throws(() => buildQemuCommandLine(minimalDef({ type: 'test' }), base), unsupported);
    assert.throws(() => buildQemuCommandLine(minimalDef({ os: { type: 'hvm', arch: 'aarch64', boot: [], extra: [] } }), base), unsupported);
    assert.throws(() => buildQemuCommandLine(minimalDef({ os: { type: 'xen', boot: [], extra: [] } }), base), unsupported);
    assert.throws(() => buildQemuCommandLine(minimalDef({ extra: [{ name: 'clock', attrs: { offset: 'variable' }, children: [] }] }), base), unsupported);
  });

  test('device <boot order> wins over <os><boot>', () => {
    const boot = (order: string) => [{ name: 'boot', attrs: { order }, children: [] }];
    const cl = buildQemuCommandLine(minimalDef({
      os: { type: 'hvm', boot: ['hd'], extra: [] },
      devices: {
        disks: [fileDisk('vda', '/a.raw'), fileDisk('vdb', '/b.raw', { extra: boot('2') })],
        interfaces: [nic('user', { extra: boot('1') })], serials: [], consoles: [], graphics: [], other: [],
      },
    }), base);
    const devs = valuesOf(cl.argv, '-device');
    assert.ok(devs.includes('virtio-blk-pci,drive=libvirt-2-format,id=virtio-disk0'));
    assert.ok(devs.includes('virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk1,bootindex=2'));
    assert.ok(devs.some((d) => d.startsWith('virtio-net-pci,netdev=hostnet0,id=net0,') && d.endsWith(',bootindex=1')));
  });
});

const FIXTURES = new URL('../../../fixtures/xml/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

describe('buildQemuCommandLine on parsed domain XML', () => {
  test('the qemu driver\'s reference domain (semantics-13.xml)', () => {
    const cl = buildQemuCommandLine(parseDomainXml(fixture('semantics-13.xml')), { paths: { ...paths, serialLog: '/log/web1.log' } });
    assert.equal(cl.binary, '/usr/bin/qemu-system-x86_64');
    assert.equal(cl.accel, 'tcg');
    assert.deepEqual(valuesOf(cl.argv, '-name'), ['guest=web1,debug-threads=on']);
    assert.deepEqual(valuesOf(cl.argv, '-m'), ['size=262144k']);
    assert.deepEqual(valuesOf(cl.argv, '-smp'), ['1,maxcpus=2,sockets=2,cores=1,threads=1']);
    assert.deepEqual(valuesOf(cl.argv, '-kernel'), ['/srv/guest/vmlinuz']);
    assert.deepEqual(valuesOf(cl.argv, '-append'), ['console=ttyS0']);
    assert.deepEqual(valuesOf(cl.argv, '-netdev'), ['tap,id=hostnet0,ifname=vm-web1-0,script=no,downscript=no']);
    assert.deepEqual(valuesOf(cl.argv, '-device'), [
      'virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0',
      'virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:12:34:56',
      'isa-serial,chardev=charserial0,id=serial0,index=0',
      'virtio-balloon-pci,id=balloon0',
    ]);
    // A file serial keeps its own path; the serial log does not override it.
    assert.deepEqual(valuesOf(cl.argv, '-chardev').slice(1), ['file,id=charserial0,path=/srv/guest/web1.console.log']);
    assert.deepEqual(cl.disks, [{ index: 0, target: 'vda', path: '/srv/guest/web1.qcow2', qdevId: 'virtio-disk0', formatNode: 'libvirt-1-format', storageNode: 'libvirt-1-storage' }]);
    assert.deepEqual(cl.nics, [{ index: 0, netdevId: 'hostnet0', deviceId: 'net0', mac: '52:54:00:12:34:56', hostDev: 'vm-web1-0' }]);
    assert.deepEqual(cl.ignored, []);
  });

  test('every kvm/qemu document of the XML corpus builds, or is refused as CONFIG_UNSUPPORTED', () => {
    const outcomes: Record<string, string> = {};
    for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort()) {
      const def = parseDomainXml(fixture(name));
      if (def.type === 'test') continue;
      const taps = def.devices.interfaces.map((_, i) => `vmttap${i}`);
      try {
        const cl = buildQemuCommandLine(def, { paths: { ...paths, taps } });
        assert.ok(cl.argv.length > 20, name);
        outcomes[name] = 'ok';
      } catch (err) {
        assert.ok(unsupported(err), `${name}: ${String(err)}`);
        outcomes[name] = (err as VirtmonError).message;
      }
    }
    assert.equal(outcomes['semantics-13.xml'], 'ok');
    assert.equal(outcomes['minimal.xml'], 'ok');
    assert.equal(outcomes['interfaces.xml'], "unsupported configuration: interface type 'direct'");
    assert.equal(outcomes['kvm-q35-desktop.xml'], 'unsupported configuration: more than one graphics device');
    assert.equal(outcomes['openstack-nova.xml'], "unsupported configuration: disk source type 'network' (disk 'vda')");
  });
});

