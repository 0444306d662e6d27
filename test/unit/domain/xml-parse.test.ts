import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDomainXml } from '../../../src/domain/xml-parse.ts';
import { fixture, macSequence, uuidSequence } from './xml-helpers.ts';

test('the reference example (§13) parses into every typed field', () => {
  const d = parseDomainXml(fixture('semantics-13.xml'));
  assert.equal(d.type, 'qemu');
  assert.equal(d.name, 'web1');
  assert.equal(d.uuid, '0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e11');
  assert.deepEqual(d.metadata, [{ name: 'app:tags', attrs: { 'xmlns:app': 'urn:example:tags' }, children: ['prod'] }]);
  assert.equal(d.memoryKiB, 262144);
  assert.equal(d.currentMemoryKiB, 196608);
  assert.deepEqual(d.vcpu, { max: 2, current: 1, placement: 'static' });
  assert.deepEqual(d.os, {
    type: 'hvm', arch: 'x86_64', machine: 'pc', kernel: '/srv/guest/vmlinuz', initrd: '/srv/guest/initrd.gz',
    cmdline: 'console=ttyS0', boot: [], extra: [],
  });
  assert.deepEqual([d.onPoweroff, d.onReboot, d.onCrash], ['destroy', 'restart', 'destroy']);
  assert.equal(d.devices.emulator, '/usr/bin/qemu-system-x86_64');
  assert.deepEqual(d.devices.disks, [{
    type: 'file', device: 'disk', driver: { name: 'qemu', type: 'qcow2' }, source: '/srv/guest/web1.qcow2',
    target: { dev: 'vda', bus: 'virtio' }, readonly: false, extraAttrs: {}, extra: [],
  }]);
  assert.deepEqual(d.devices.interfaces, [{
    type: 'ethernet', mac: '52:54:00:12:34:56', model: 'virtio', targetDev: 'vm-web1-0', extraAttrs: {}, extra: [],
  }]);
  assert.deepEqual(d.devices.memballoon, { model: 'virtio', statsPeriod: 5, extra: [] });
  assert.deepEqual(d.devices.serials, [{ type: 'file', sourcePath: '/srv/guest/web1.console.log', extraAttrs: {}, extra: [] }]);
  assert.deepEqual(d.devices.consoles, []);
  assert.deepEqual(d.devices.graphics, []);
  assert.deepEqual(d.devices.other, []);
  assert.deepEqual(d.extra, []);
  assert.deepEqual(d.extraAttrs, {});
  assert.equal(d.rest, undefined);
});

test("libvirt's test:///default domain", () => {
  const d = parseDomainXml(fixture('test-default.xml'));
  assert.equal(d.type, 'test');
  assert.equal(d.uuid, '6695eb01-f6a4-8304-79aa-97f2502e193f');
  assert.equal(d.memoryKiB, 8388608);
  assert.equal(d.currentMemoryKiB, 2097152);
  assert.equal(d.vcpu.max, 2);
  assert.equal(d.os.arch, 'i686');
  assert.deepEqual(d.os.boot, ['hd']);
  assert.equal(d.devices.disks[0]?.source, '/guest/diskimage1');
  assert.equal(d.devices.disks[0]?.extra[0]?.name, 'address');
  const nic = d.devices.interfaces[0];
  assert.deepEqual([nic?.type, nic?.mac, nic?.source, nic?.targetDev], ['network', 'aa:bb:cc:dd:ee:ff', { network: 'default' }, 'testnet0']);
  assert.equal(d.devices.memballoon?.model, 'virtio');
  assert.deepEqual(d.extra.map((e) => e.name), ['clock']);
  assert.deepEqual(d.extraAttrs, {}, 'the live id is not part of the definition');
});

test('defaults follow libvirt: currentMemory, vcpu, lifecycle, disk type/device/bus, generated UUID and MAC', () => {
  const d = parseDomainXml(
    "<domain type='kvm'><name>d</name><memory unit='MiB'>64</memory><currentMemory>999999999</currentMemory>" +
    "<os><type>hvm</type></os><devices><disk><source file='/a'/><target dev='sdb'/></disk>" +
    "<interface type='user'/><serial/></devices></domain>",
    { generateUuid: uuidSequence(), generateMac: macSequence() });
  assert.equal(d.uuid, '00000000-0000-4000-8000-000000000001');
  assert.equal(d.currentMemoryKiB, 65536, 'a balloon target above memory is clamped to it');
  assert.deepEqual(d.vcpu, { max: 1, current: 1, placement: 'static' });
  assert.deepEqual([d.onPoweroff, d.onReboot, d.onCrash], ['destroy', 'restart', 'destroy']);
  assert.deepEqual([d.devices.disks[0]?.type, d.devices.disks[0]?.device, d.devices.disks[0]?.target], ['file', 'disk', { dev: 'sdb', bus: 'scsi' }]);
  assert.equal(d.devices.interfaces[0]?.mac, '52:54:00:00:00:01');
  assert.equal(d.devices.serials[0]?.type, 'pty');
  const random = parseDomainXml("<domain type='kvm'><name>d</name><memory>1</memory><os><type>hvm</type></os></domain>");
  assert.match(random.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('UUIDs are accepted dashed or as plain hex and normalized to lowercase dashed form', () => {
  assert.equal(parseDomainXml(fixture('test-node-runstate.xml')).uuid, '08721f99-3d1d-4aec-96ef-b6f0c4ed8c4a');
  assert.equal(parseDomainXml(fixture('unicode.xml')).uuid, 'b4e1a2c3-d4e5-4f60-9718-293a4b5c6d7e');
});

test('storage: block, lun, network (rbd, https, nbd, iscsi), volume, dir, floppy, nvme and cdrom disks', () => {
  const disks = parseDomainXml(fixture('storage-disks.xml')).devices.disks;
  assert.deepEqual(disks.map((x) => [x.type, x.device, x.target.dev, x.target.bus, x.source ?? x.sourceName ?? '']), [
    ['file', 'disk', 'vda', 'virtio', '/var/lib/libvirt/images/root.qcow2'],
    ['block', 'disk', 'vdb', 'virtio', '/dev/vg0/data'],
    ['block', 'lun', 'sda', 'scsi', '/dev/disk/by-path/ip-192.168.1.10:3260-iscsi-iqn.2013-07.com.example:lun-1'],
    ['network', 'disk', 'vdc', 'virtio', 'volumes/volume-0d5b6b1c'],
    ['network', 'cdrom', 'hdc', 'ide', '/pub/images/netinst.iso'],
    ['network', 'disk', 'vdd', 'virtio', 'export0'],
    ['network', 'disk', 'vde', 'virtio', 'iqn.2013-07.com.example:iscsi-pool/1'],
    ['volume', 'disk', 'vdf', 'virtio', ''],
    ['dir', 'floppy', 'fda', 'fdc', '/srv/floppy-content'],
    ['file', 'floppy', 'fdb', 'fdc', '/srv/images/dos.img'],
    ['nvme', 'disk', 'vdg', 'virtio', ''],
  ]);
  const [root, data, lun, rbd] = disks;
  assert.deepEqual(root?.driver, { name: 'qemu', type: 'qcow2', cache: 'writeback', discard: 'ignore' });
  assert.equal(root?.serial, 'ROOT-0001');
  assert.equal(root?.alias, 'ua-rootdisk');
  assert.deepEqual(root?.extraAttrs, { snapshot: 'external' });
  assert.deepEqual(root?.extra.map((e) => e.name), ['backingStore', 'iotune']);
  assert.deepEqual(root?.rest?.['source'], { attrs: { index: '2' }, children: [] });
  assert.equal(data?.shareable, true);
  assert.equal(data?.readonly, false);
  assert.deepEqual(lun?.extraAttrs, { sgio: 'unfiltered', rawio: 'yes' });
  assert.equal(rbd?.sourceProtocol, 'rbd');
  assert.deepEqual(rbd?.rest?.['source']?.children.map((h) => typeof h === 'string' ? h : h.attrs['name']), ['10.0.0.11', '10.0.0.12', '10.0.0.13']);
  assert.deepEqual(rbd?.extra.map((e) => e.name), ['auth']);
  assert.equal(disks[4]?.readonly, true);
  assert.deepEqual(disks[4]?.rest?.['source']?.attrs, { query: 'token=abc&x=1' });
  assert.deepEqual(disks[7]?.rest?.['source']?.attrs, { pool: 'default', volume: 'data-vol.img' });
});

test('interfaces: bridge, network, direct, user, ethernet, vhostuser, hostdev, udp', () => {
  const nics = parseDomainXml(fixture('interfaces.xml'), { generateMac: macSequence() }).devices.interfaces;
  assert.deepEqual(nics.map((n) => [n.type, n.mac, n.source, n.model, n.targetDev]), [
    ['bridge', '52:54:00:00:00:01', { bridge: 'br0' }, 'virtio', 'tap09b11c53-8b'],
    ['network', '52:54:00:00:00:02', { network: 'default' }, 'virtio', undefined],
    ['direct', '52:54:00:00:00:03', { dev: 'eth0', mode: 'vepa' }, 'virtio', undefined],
    ['user', '52:54:00:00:00:04', undefined, 'e1000', undefined],
    ['ethernet', '52:54:00:00:00:05', undefined, 'virtio', 'mytap1'],
    ['vhostuser', '52:54:00:00:00:06', { mode: 'server' }, 'virtio', undefined],
    ['hostdev', '52:54:00:00:00:07', undefined, undefined, undefined],
    ['udp', '52:54:00:00:00:08', undefined, undefined, undefined],
    ['network', '52:54:00:00:00:01', { network: 'default' }, undefined, undefined],
  ]);
  assert.equal(nics[0]?.mtu, 9000);
  assert.deepEqual(nics[0]?.extra.map((e) => e.name), ['virtualport', 'driver', 'bandwidth', 'address']);
  assert.deepEqual(nics[1]?.rest?.['source'], { attrs: { portgroup: 'engineering' }, children: [] });
  assert.deepEqual(nics[2]?.extraAttrs, { trustGuestRxFilters: 'no' });
  assert.deepEqual(nics[4]?.rest?.['target'], { attrs: { managed: 'no' }, children: [] });
});

test('graphics, serial/console targets and the balloon of a q35 desktop', () => {
  const d = parseDomainXml(fixture('kvm-q35-desktop.xml'));
  assert.deepEqual(d.devices.graphics.map((g) => [g.type, g.port, g.autoport, g.listen]), [
    ['spice', undefined, true, undefined], ['vnc', 5901, false, '127.0.0.1'],
  ]);
  assert.deepEqual(d.devices.graphics[1]?.extraAttrs, { passwd: 'secret' });
  assert.deepEqual(d.devices.serials[0], {
    type: 'pty', targetType: 'isa-serial', targetPort: 0, extraAttrs: {}, extra: [],
    rest: { target: { attrs: {}, children: [{ name: 'model', attrs: { name: 'isa-serial' }, children: [] }] } },
  });
  assert.deepEqual(d.devices.consoles[0], { type: 'pty', targetType: 'serial', targetPort: 0, extraAttrs: {}, extra: [] });
  assert.deepEqual(d.devices.memballoon, {
    model: 'virtio', statsPeriod: 10, autodeflate: 'on',
    extra: [{ name: 'address', attrs: { type: 'pci', domain: '0x0000', bus: '0x05', slot: '0x00', function: '0x0' }, children: [] }],
  });
  assert.deepEqual(d.devices.disks[2]?.source, undefined, 'an empty cdrom has no source');
  assert.equal(d.devices.interfaces[0]?.mac, '52:54:00:ab:cd:ef', 'MACs are normalized to lowercase');
  assert.deepEqual(d.devices.other.map((o) => o.name), [
    'controller', 'controller', 'controller', 'controller', 'controller', 'channel', 'channel', 'input', 'input',
    'input', 'tpm', 'sound', 'audio', 'video', 'redirdev', 'redirdev', 'watchdog', 'rng',
  ]);
  assert.deepEqual(d.extra.map((e) => e.name), ['iothreads', 'cputune', 'sysinfo', 'features', 'cpu', 'clock', 'pm']);
  assert.deepEqual(d.os.extra.map((e) => e.name), ['firmware', 'loader', 'nvram', 'bootmenu', 'smbios']);
  assert.deepEqual(d.os.boot, ['cdrom', 'hd']);
  assert.deepEqual(d.rest?.['os'], { attrs: { firmware: 'efi' }, children: [] });
  assert.equal(d.title, 'Windows 11 desktop');
  assert.equal(d.description, 'Workstation for the design team');
});

test('unknown top-level elements and <domain> attributes are kept (qemu:commandline, test driver namespace)', () => {
  const q = parseDomainXml(fixture('qemu-commandline.xml'));
  assert.deepEqual(q.extraAttrs, { 'xmlns:qemu': 'http://libvirt.org/schemas/domain/qemu/1.0' });
  assert.deepEqual(q.extra.map((e) => e.name), ['clock', 'qemu:commandline', 'qemu:capabilities', 'qemu:override']);
  assert.deepEqual(q.extra[1]?.children[0], { name: 'qemu:arg', attrs: { value: '-unknown' }, children: [] });
  assert.equal(q.devices.memballoon?.model, 'none');
  const t = parseDomainXml(fixture('test-node-runstate.xml'));
  assert.deepEqual(t.extra.map((e) => e.name), ['test:runstate', 'test:transient', 'test:hasmanagedsave']);
  assert.deepEqual(t.devices.consoles, [{ type: 'pty', extraAttrs: { tty: '/dev/pts/5' }, extra: [] }]);
  assert.equal(t.onCrash, 'restart');
});

test('memory in various units, maxMemory, memory attributes and vcpu attributes', () => {
  const si = parseDomainXml(fixture('memory-units-si.xml'));
  assert.deepEqual([si.memoryKiB, si.currentMemoryKiB, si.maxMemory], [3906250, 1464844, { kib: 15625000, slots: 16 }]);
  const bin = parseDomainXml(fixture('memory-units-binary.xml'));
  assert.deepEqual([bin.memoryKiB, bin.currentMemoryKiB], [2097152, 976563]);
  assert.deepEqual(bin.rest?.['memory'], { attrs: { dumpCore: 'off' }, children: [] });
  assert.deepEqual(bin.vcpu, { max: 1, current: 1, placement: 'static', cpuset: '0-1' });
  assert.deepEqual(bin.os.boot, ['network', 'hd']);
  assert.deepEqual([bin.onPoweroff, bin.onReboot, bin.onCrash], ['preserve', 'destroy', 'coredump-restart']);
  const hostdev = parseDomainXml(fixture('hostdev-rng.xml'));
  assert.equal(hostdev.memoryKiB, 16777216);
  assert.equal(hostdev.vcpu.placement, 'auto');
});

test('a live dump: the id is ignored, aliases and generated names are kept', () => {
  const d = parseDomainXml(fixture('live-transient.xml'));
  assert.deepEqual(d.extraAttrs, {});
  assert.deepEqual(d.devices.disks.map((x) => x.alias), ['virtio-disk0', 'virtio-disk1']);
  assert.equal(d.devices.interfaces[0]?.alias, 'net0');
  assert.equal(d.devices.interfaces[0]?.targetDev, 'vnet3');
  assert.deepEqual(d.devices.interfaces[0]?.source, { network: 'default', bridge: 'virbr0' });
  assert.equal(d.devices.memballoon?.alias, 'balloon0');
  assert.deepEqual([d.devices.serials[0]?.sourcePath, d.devices.serials[0]?.alias], ['/dev/pts/7', 'serial0']);
  assert.deepEqual(d.vcpu, { max: 4, current: 2, placement: 'static' });
});

test('unicode and escaped characters come through decoded', () => {
  const u = parseDomainXml(fixture('unicode.xml'));
  assert.equal(u.name, 'ünïcødé-гость-虚拟机');
  assert.equal(u.title, 'Прод — 本番サーバー 🚀');
  assert.equal(u.description, 'Ελληνικά, 中文, العربية, emoji 🧪🐧 and a snowman ☃.\nSecond line with tab\tinside.');
  assert.equal(u.devices.disks[0]?.source, '/srv/образы/диск-1.qcow2');
  const e = parseDomainXml(fixture('escaped-description.xml'));
  assert.equal(e.title, `Tom & Jerry's "cartoon" <VM>`);
  assert.equal(e.description, `Line with <tags> & ampersands, 'single' and "double" quotes.\n` +
    `A CDATA part: <not-a-tag attr="x"> & raw  and a smiley \u263A \u2603\nCarriage return here:\r end.`);
  assert.equal(e.os.cmdline, `console=ttyS0 init=/bin/sh -c "echo 'hi' > /dev/kmsg"`);
  assert.equal(e.devices.disks[0]?.source, '/srv/a&b/<disk>.img');
  assert.equal(e.devices.disks[0]?.serial, `S&N'1"`);
  assert.deepEqual(e.metadata[0]?.attrs, { 'xmlns:app': 'urn:example:notes', text: 'a < b && c > d', quote: "it's", multi: 'line1\nline2\ttab' });
});

test('metadata children get the namespace declarations they use from <metadata> and <domain>', () => {
  const d = parseDomainXml(fixture('openstack-nova-1.0.xml'));
  assert.deepEqual(d.metadata[0]?.attrs, { 'xmlns:os1': 'http://openstack.org/xmlns/libvirt/nova/1.0' });
  assert.deepEqual(d.metadata[1]?.attrs, { 'xmlns:app': 'urn:example:labels', xmlns: 'urn:example:labels' });
  assert.equal(d.rest?.['metadata'], undefined, 'declarations on <metadata> itself are not kept twice');
  const onDomain = parseDomainXml("<domain type='kvm' xmlns:x='urn:x'><name>n</name><metadata><x:a><x:b/></x:a><plain/></metadata>" +
    "<memory>1</memory><os><type>hvm</type></os></domain>");
  assert.deepEqual(onDomain.metadata, [
    { name: 'x:a', attrs: { 'xmlns:x': 'urn:x' }, children: [{ name: 'x:b', attrs: {}, children: [] }] },
    { name: 'plain', attrs: {}, children: [] },
  ]);
  assert.deepEqual(onDomain.extraAttrs, { 'xmlns:x': 'urn:x' });
});
