// test:///default: libvirt's values (libvirt-semantics.md §11), fresh per open, URI handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from '../../../../src/drivers/index.ts';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { openTest } from '../../../helpers/test-driver.ts';

test('node info, type and version', async () => {
  const { conn } = await openTest('default');
  assert.deepEqual(await conn.nodeGetInfo(), {
    model: 'i686', memoryKiB: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2,
  });
  assert.equal(conn.getType(), 'TEST');
  assert.equal(await conn.getVersion(), '0.0.2');
  assert.equal(conn.driverName, 'test');
  assert.ok((await conn.getHostname()).length > 0);
  await conn.close();
});

test('the domain `test`: running (unknown), id 1, persistent, autostart off', async () => {
  const { conn } = await openTest('default');
  const list = await conn.listAllDomains();
  assert.deepEqual(list, [{
    name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: 1, state: 1, reason: 0,
    persistent: true, autostart: false, managedSave: false,
  }]);
  const dom = await conn.lookupByID(1);
  assert.deepEqual(dom, { name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: 1 });
  assert.deepEqual(await conn.lookupDomain('test'), dom);
  assert.deepEqual(await conn.lookupDomain('6695eb01-f6a4-8304-79aa-97f2502e193f'), dom);
  assert.deepEqual(await conn.lookupDomain('1'), dom);
  const info = await conn.getInfo(dom);
  assert.equal(info.state, 1);
  assert.equal(info.maxMemKiB, 8388608);
  assert.equal(info.memoryKiB, 2097152);
  assert.equal(info.nrVirtCpu, 2);
  assert.equal(await conn.isPersistent(dom), true);
  assert.equal(await conn.getAutostart(dom), false);
  assert.equal(await conn.hasManagedSaveImage(dom), false);
  assert.equal(await conn.getOSType(dom), 'linux');
  assert.deepEqual(await conn.nodeGetSecurityModel(), { model: 'testSecurity', doi: '0' });
  assert.deepEqual(await conn.getSecurityLabel(dom), { label: 'libvirt-test', enforcing: true });
  await conn.destroy(dom);
  assert.deepEqual(await conn.getSecurityLabel(dom), { label: '', enforcing: false });
  await conn.close();
});

test('its definition: i686 hvm, libvirt lifecycle actions, vda on /guest/diskimage1, testnet0, balloon', async () => {
  const { conn } = await openTest('default');
  const [target] = await conn.statsTargets();
  assert.ok(target !== undefined);
  const def = target.def;
  assert.equal(def.type, 'test');
  assert.equal(def.memoryKiB, 8388608);
  assert.equal(def.currentMemoryKiB, 2097152);
  assert.deepEqual([def.vcpu.max, def.vcpu.current], [2, 2]);
  assert.deepEqual([def.os.type, def.os.arch], ['hvm', 'i686']);
  assert.deepEqual([def.onPoweroff, def.onReboot, def.onCrash], ['destroy', 'restart', 'destroy']);
  assert.deepEqual(def.devices.disks.map((d) => [d.source, d.target.dev, d.target.bus]), [['/guest/diskimage1', 'vda', 'virtio']]);
  assert.deepEqual(def.devices.interfaces.map((n) => [n.type, n.source?.network, n.mac, n.targetDev]),
    [['network', 'default', 'aa:bb:cc:dd:ee:ff', 'testnet0']]);
  assert.equal(def.devices.memballoon?.model, 'virtio');
  const xml = await conn.getXMLDesc(await conn.lookupByName('test'));
  assert.match(xml, /^<domain type='test' id='1'>/);
  assert.match(xml, /<target dev='testnet0'\/>/);
  assert.doesNotMatch(await conn.getXMLDesc(await conn.lookupByName('test'), { inactive: true }), /id='1'/);
  await conn.close();
});

test('every open starts from a fresh default host', async () => {
  const a = await openTest('default');
  await a.conn.destroy(await a.conn.lookupByName('test'));
  const b = await openTest('default');
  assert.equal((await b.conn.listAllDomains())[0]?.state, 1);
  assert.equal((await a.conn.listAllDomains())[0]?.state, 5);
  await a.conn.close();
  await b.conn.close();
});

async function openError(uri: string): Promise<VirtmonError> {
  try {
    const conn = await open(uri);
    await conn.close();
  } catch (e) {
    if (e instanceof VirtmonError) return e;
    throw e;
  }
  assert.fail(`${uri} opened`);
}

test('URIs: no path is an error, a host or a transport is not ours', async () => {
  const noPath = await openError('test:///');
  assert.equal(noPath.code, 'VIR_ERR_INVALID_ARG');
  assert.equal(noPath.message, 'invalid argument: testOpen: supply a path or use test:///default');
  assert.equal((await openError('test://otherhost/default')).code, 'VIR_ERR_NO_CONNECT');
  assert.equal((await openError('test+unix:///default')).code, 'VIR_ERR_NO_CONNECT');
  assert.equal((await openError('nosuch:///default')).message, 'no connection driver available for nosuch:///default');
  const missing = await openError('test:///nonexistent/vmt-node.xml');
  assert.equal(missing.code, 'VIR_ERR_SYSTEM_ERROR');
  assert.match(missing.message, /cannot read node file '\/nonexistent\/vmt-node.xml'/);
});
