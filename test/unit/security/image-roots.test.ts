import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { parseDomainXml } from '../../../src/domain/xml-parse.ts';
import { createImageRootsCheck } from '../../../src/security/image-roots.ts';

let dir: string;
let images: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vmt-roots-'));
  images = join(dir, 'images');
  mkdirSync(join(images, 'sub'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(images, 'disk.raw'), Buffer.alloc(4096));
  writeFileSync(join(dir, 'outside', 'secret.raw'), Buffer.alloc(4096));
  symlinkSync('/etc/shadow', join(images, 'shadow-link'));
  symlinkSync(join(dir, 'outside'), join(images, 'sub', 'escape'));
  const qimg = (...args: string[]) => execFileSync('qemu-img', args, { stdio: 'ignore' });
  qimg('create', '-f', 'qcow2', join(images, 'base.qcow2'), '1M');
  qimg('create', '-f', 'qcow2', '-b', 'base.qcow2', '-F', 'qcow2', join(images, 'overlay.qcow2'));
  qimg('create', '-f', 'qcow2', '-b', '/etc/passwd', '-F', 'raw', join(images, 'evil.qcow2'), '1M');
  qimg('create', '-f', 'qcow2', '-b', join(images, 'evil.qcow2'), '-F', 'qcow2', join(images, 'evil2.qcow2'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const check = () => createImageRootsCheck({ roots: [images], emulators: ['/usr/bin/qemu-system-x86_64'] });

/** A domain with the given <devices> and <os> inner XML. */
function domain(devices: string, os = '', extra = ''): ReturnType<typeof parseDomainXml> {
  return parseDomainXml(`<domain type='kvm'><name>vmt</name><memory>65536</memory><vcpu>1</vcpu>` +
    `<os><type>hvm</type>${os}</os>${extra}<devices>${devices}</devices></domain>`);
}
const disk = (file: string, driver = 'raw') => `<disk type='file' device='disk'><driver name='qemu' type='${driver}'/><source file='${file}'/><target dev='vda' bus='virtio'/></disk>`;

async function deniedMessage(def: ReturnType<typeof parseDomainXml>): Promise<string> {
  try {
    await check()(def);
  } catch (err) {
    assert.ok(err instanceof VirtmonError && err.code === 'VIR_ERR_ACCESS_DENIED', String(err));
    return err.message;
  }
  assert.fail('expected VIR_ERR_ACCESS_DENIED');
}

test('files under the roots pass: raw image, qcow2 overlay with a backing file inside, kernel, a file yet to be made', async () => {
  await check()(domain(disk(join(images, 'disk.raw'))));
  await check()(domain(disk(join(images, 'overlay.qcow2'), 'qcow2')));
  await check()(domain(`<serial type='file'><source path='${images}/sub/new-console.log'/><target port='0'/></serial>`,
    `<kernel>${images}/disk.raw</kernel><initrd>${images}/disk.raw</initrd>`));
  await check()(domain(`<emulator>/usr/bin/qemu-system-x86_64</emulator>${disk(join(images, 'disk.raw'))}`));
});

test('/etc/shadow as a disk, a symlink to it, a .. escape and a symlinked directory escape are refused', async () => {
  assert.match(await deniedMessage(domain(disk('/etc/shadow'))),
    /^access denied: disk vda source '\/etc\/shadow' is outside the image roots/);
  assert.match(await deniedMessage(domain(disk(join(images, 'shadow-link')))), /resolves to '\/etc\/shadow'\) is outside/);
  assert.match(await deniedMessage(domain(disk(`${images}/../outside/secret.raw`))), /is outside the image roots/);
  assert.match(await deniedMessage(domain(disk(join(images, 'sub', 'escape', 'secret.raw')))), /resolves to '.*\/outside\/secret\.raw'/);
  assert.match(await deniedMessage(domain(disk('relative.raw'))), /is not an absolute path/);
  assert.match(await deniedMessage(domain(disk(images))), /is outside the image roots/, 'the root itself is not an image');
});

test('a qcow2 image whose backing file (directly or down the chain) is outside is refused; as raw it is harmless', async () => {
  assert.match(await deniedMessage(domain(disk(join(images, 'evil.qcow2'), 'qcow2'))), /backing file '\/etc\/passwd' is outside/);
  assert.match(await deniedMessage(domain(disk(join(images, 'evil2.qcow2'), 'qcow2'))), /backing file '\/etc\/passwd' is outside/);
  await check()(domain(disk(join(images, 'evil.qcow2'), 'raw')));
});

test('kernel, firmware, char devices, shared directories, emulator, hostdev and QEMU passthrough are policed', async () => {
  assert.match(await deniedMessage(domain('', '<kernel>/boot/vmlinuz</kernel>')), /^access denied: kernel '\/boot\/vmlinuz'/);
  assert.match(await deniedMessage(domain('', "<loader readonly='yes' type='pflash'>/etc/shadow</loader>")), /loader '\/etc\/shadow'/);
  assert.match(await deniedMessage(domain("<serial type='file'><source path='/etc/passwd'/><target port='0'/></serial>")), /file character device '\/etc\/passwd'/);
  assert.match(await deniedMessage(domain("<filesystem type='mount'><source dir='/'/><target dir='host'/></filesystem>")), /filesystem source '\/' is outside/);
  assert.match(await deniedMessage(domain('<emulator>/bin/sh</emulator>')), /emulator '\/bin\/sh' is not one of the allowed emulators/);
  assert.match(await deniedMessage(domain("<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='1' slot='0' function='0'/></source></hostdev>")), /hostdev/);
  assert.match(await deniedMessage(domain("<disk type='volume' device='disk'><source pool='p' volume='v'/><target dev='vdb'/></disk>")), /disk type 'volume' is not allowed/);
  assert.match(await deniedMessage(parseDomainXml(`<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>q</name><memory>65536</memory><os><type>hvm</type></os><qemu:commandline><qemu:arg value='-x'/></qemu:commandline></domain>`)),
    /command-line passthrough/);
});

test('network disks and empty cdroms need no file', async () => {
  await check()(domain("<disk type='network' device='disk'><source protocol='nbd' name='x'><host name='127.0.0.1' port='10809'/></source><target dev='vda'/></disk><disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>"));
});

test('a device to attach is held to the same rules', async () => {
  const { parseDeviceXml } = await import('../../../src/domain/xml-parse.ts');
  await check().device(parseDeviceXml(`<disk type='file' device='disk'><source file='${images}/disk.raw'/><target dev='vdb'/></disk>`));
  await check().device(parseDeviceXml("<interface type='network'><source network='default'/></interface>"));
  await assert.rejects(check().device(parseDeviceXml("<disk type='file' device='disk'><source file='/etc/shadow'/><target dev='vdb'/></disk>")),
    (err: unknown) => err instanceof VirtmonError && err.code === 'VIR_ERR_ACCESS_DENIED' && /disk vdb source '\/etc\/shadow' is outside/.test(err.message));
});

test('a save image path is held to the roots too (save over /etc/passwd is refused)', async () => {
  await check().path('save image', join(images, 'sub', 'a.save'));
  await assert.rejects(check().path('save image', '/etc/passwd'), /^VirtmonError: access denied: save image '\/etc\/passwd' is outside the image roots/);
  await assert.rejects(check().path('save image', join(images, 'shadow-link')), /resolves to '\/etc\/shadow'/);
});
