import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainDef } from '../../../src/domain/def.ts';
import { formatDeviceXml, formatDomainXml } from '../../../src/domain/xml-format.ts';
import { parseDeviceXml, parseDomainXml } from '../../../src/domain/xml-parse.ts';
import { fixture, macSequence } from './xml-helpers.ts';

test('the reference example is written in virsh dumpxml layout', () => {
  assert.equal(formatDomainXml(parseDomainXml(fixture('semantics-13.xml'))), `<domain type='qemu'>
  <name>web1</name>
  <uuid>0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e11</uuid>
  <metadata>
    <app:tags xmlns:app='urn:example:tags'>prod</app:tags>
  </metadata>
  <memory unit='KiB'>262144</memory>
  <currentMemory unit='KiB'>196608</currentMemory>
  <vcpu placement='static' current='1'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>/srv/guest/vmlinuz</kernel>
    <initrd>/srv/guest/initrd.gz</initrd>
    <cmdline>console=ttyS0</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/srv/guest/web1.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='ethernet'>
      <mac address='52:54:00:12:34:56'/>
      <target dev='vm-web1-0'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='/srv/guest/web1.console.log'/>
    </serial>
    <memballoon model='virtio'>
      <stats period='5'/>
    </memballoon>
  </devices>
</domain>
`);
});

test('elements are written in libvirt order whatever order the input had', () => {
  const xml = "<domain type='kvm'><devices><memballoon model='none'/><input type='tablet' bus='usb'/>" +
    "<interface type='user'><mac address='52:54:00:00:00:09'/></interface><controller type='usb'/>" +
    "<disk><target dev='vda'/></disk><emulator>/bin/qemu</emulator></devices><on_crash>preserve</on_crash>" +
    "<clock offset='utc'/><os><boot dev='hd'/><type>hvm</type></os><features><acpi/></features><vcpu>2</vcpu>" +
    "<memory>1024</memory><zzz:custom xmlns:zzz='urn:z'/><uuid>6695eb01f6a4830479aa97f2502e193f</uuid><name>o</name></domain>";
  const out = formatDomainXml(parseDomainXml(xml));
  const tags = [...out.matchAll(/^ {2,4}<([\w:]+)/gm)].map((m) => m[1]);
  assert.deepEqual(tags, [
    'name', 'uuid', 'memory', 'currentMemory', 'vcpu', 'os', 'type', 'boot', 'features', 'acpi', 'clock',
    'on_poweroff', 'on_reboot', 'on_crash', 'devices', 'emulator', 'disk', 'controller', 'interface', 'input',
    'memballoon', 'zzz:custom',
  ]);
});

test('live XML: id on <domain>, aliases from the running domain override the definition', () => {
  const def = parseDomainXml(fixture('semantics-13.xml'));
  const out = formatDomainXml(def, { id: 5, aliases: { disks: ['virtio-disk0'], interfaces: ['net0'], serials: ['serial0'], memballoon: 'balloon0' } });
  assert.ok(out.startsWith("<domain type='qemu' id='5'>\n"));
  assert.match(out, /<target dev='vda' bus='virtio'\/>\n {6}<alias name='virtio-disk0'\/>\n {4}<\/disk>/);
  assert.match(out, /<model type='virtio'\/>\n {6}<alias name='net0'\/>/);
  assert.match(out, /<source path='\/srv\/guest\/web1.console.log'\/>\n {6}<alias name='serial0'\/>/);
  assert.match(out, /<stats period='5'\/>\n {6}<alias name='balloon0'\/>/);
  const inactive = formatDomainXml(def);
  assert.doesNotMatch(inactive, /alias|id='/);
});

test('a definition built in code (as a driver does) formats and parses back', () => {
  const def: DomainDef = {
    type: 'test', name: 'built', uuid: '11111111-2222-4333-8444-555555555555', metadata: [],
    memoryKiB: 1048576, currentMemoryKiB: 524288, maxMemory: { kib: 2097152, slots: 2 },
    vcpu: { max: 4, current: 2 },
    os: { type: 'hvm', arch: 'x86_64', boot: ['hd', 'network'], extra: [] },
    onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'preserve',
    devices: {
      disks: [{ type: 'file', device: 'disk', source: '/img/a.qcow2', target: { dev: 'vda', bus: 'virtio' }, readonly: false, extraAttrs: {}, extra: [] }],
      interfaces: [{ type: 'bridge', mac: '52:54:00:aa:bb:cc', source: { bridge: 'br0' }, targetDev: 'vmt-tap0', mtu: 1500, extraAttrs: {}, extra: [] }],
      memballoon: { model: 'virtio', statsPeriod: 10, extra: [] },
      serials: [], consoles: [{ type: 'pty', targetType: 'serial', targetPort: 0, extraAttrs: {}, extra: [] }],
      graphics: [{ type: 'vnc', port: -1, autoport: true, listen: '127.0.0.1', extraAttrs: {}, extra: [] }],
      other: [],
    },
    extra: [], extraAttrs: {},
  };
  const out = formatDomainXml(def);
  assert.match(out, /<maxMemory slots='2' unit='KiB'>2097152<\/maxMemory>\n {2}<memory unit='KiB'>1048576<\/memory>/);
  assert.match(out, /<vcpu placement='static' current='2'>4<\/vcpu>/);
  assert.match(out, /<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'\/>/);
  assert.match(out, /<mtu size='1500'\/>/);
  const back = parseDomainXml(out);
  assert.deepEqual(back, { ...def, vcpu: { ...def.vcpu, placement: 'static' } });
});

test('parseDeviceXml and formatDeviceXml for attach/detach', () => {
  const disk = parseDeviceXml("<disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='sdc' bus='sata'/><readonly/></disk>");
  assert.equal(disk.kind, 'disk');
  if (disk.kind === 'disk') {
    assert.deepEqual([disk.disk.device, disk.disk.source, disk.disk.target, disk.disk.readonly], ['cdrom', '/iso/x.iso', { dev: 'sdc', bus: 'sata' }, true]);
  }
  assert.equal(formatDeviceXml(disk),
    "<disk type='file' device='cdrom'>\n  <source file='/iso/x.iso'/>\n  <target dev='sdc' bus='sata'/>\n  <readonly/>\n</disk>\n");
  const nic = parseDeviceXml("<interface type='network'><source network='default'/><model type='virtio'/></interface>", { generateMac: macSequence() });
  assert.equal(nic.kind, 'interface');
  if (nic.kind === 'interface') assert.equal(nic.iface.mac, '52:54:00:00:00:01');
  assert.deepEqual(parseDeviceXml(formatDeviceXml(nic)), nic);
});
