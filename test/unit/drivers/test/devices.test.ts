// attach/detach of disks and interfaces: AFFECT flags, duplicate and missing devices, events, stats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { openTest, takeEvents } from '../../../helpers/test-driver.ts';

async function rejects(p: Promise<unknown>): Promise<VirtmonError> {
  try { await p; } catch (e) { if (e instanceof VirtmonError) return e; throw e; }
  assert.fail('expected a rejection');
}

const DISK = "<disk type='file' device='disk'><source file='/var/lib/vmt/extra.img'/><target dev='vdb' bus='virtio'/></disk>";
const NIC = "<interface type='network'><mac address='52:54:00:aa:bb:01'/><source network='default'/><model type='virtio'/></interface>";

test('live attach and detach of a disk on a running domain', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const dom = await conn.lookupByName('test');
  await conn.attachDevice(dom, DISK);
  assert.deepEqual(takeEvents(tc), ['device-added virtio-disk1']);
  const xml = await conn.getXMLDesc(dom);
  assert.match(xml, /<target dev='vdb' bus='virtio'\/>\s*<alias name='virtio-disk1'\/>/);
  assert.doesNotMatch(await conn.getXMLDesc(dom, { inactive: true }), /vdb/, 'CURRENT on a running domain is LIVE only');
  const dup = await rejects(conn.attachDevice(dom, DISK));
  assert.equal(dup.code, 'VIR_ERR_OPERATION_FAILED');
  assert.equal(dup.message, 'operation failed: target vdb already exists');
  assert.deepEqual((await conn.statsTargets())[0]?.disks.map((d) => d.target), ['vda', 'vdb']);

  await conn.detachDevice(dom, DISK);
  assert.deepEqual(takeEvents(tc), ['device-removed virtio-disk1']);
  const missing = await rejects(conn.detachDevice(dom, DISK));
  assert.equal(missing.code, 'VIR_ERR_DEVICE_MISSING');
  assert.equal(missing.message, 'device not found: disk vdb not found');
  await conn.close();
});

test('LIVE+CONFIG changes both definitions; CONFIG alone waits for the next boot', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const dom = await conn.lookupByName('test');
  await conn.attachDevice(dom, DISK, { live: true, config: true });
  assert.match(await conn.getXMLDesc(dom, { inactive: true }), /vdb/);
  await conn.attachDevice(dom, NIC, { config: true });
  assert.deepEqual(takeEvents(tc), ['device-added virtio-disk1']);
  assert.doesNotMatch(await conn.getXMLDesc(dom), /52:54:00:aa:bb:01/);
  await conn.destroy(dom);
  await conn.create(dom);
  const xml = await conn.getXMLDesc(dom);
  assert.match(xml, /52:54:00:aa:bb:01/);
  assert.match(xml, /<target dev='testnet1'\/>/, 'a NIC without a target gets the next testnetN');
  // A failing half changes neither: the config already has vdb, the live one does not.
  await conn.detachDevice(dom, DISK, { live: true });
  const e = await rejects(conn.attachDevice(dom, DISK, { live: true, config: true }));
  assert.equal(e.message, 'Requested operation is not valid: target vdb already exists');
  assert.doesNotMatch(await conn.getXMLDesc(dom), /vdb/);
  await conn.close();
});

test('interfaces are found by MAC; inactive domains change their config without events', async () => {
  const tc = await openTest('all-states.xml');
  const { conn } = tc;
  const dom = await conn.lookupByName('vmt-shutoff');
  await conn.attachDevice(dom, NIC);
  assert.deepEqual(takeEvents(tc), []);
  assert.equal((await conn.statsTargets()).find((t) => t.ref.name === 'vmt-shutoff')?.nics.length, 2);
  const live = await rejects(conn.attachDevice(dom, NIC, { live: true }));
  assert.equal(live.message, 'Requested operation is not valid: domain is not running');
  const any = await rejects(conn.detachDevice(dom, "<interface type='network'><source network='default'/></interface>"));
  assert.equal(any.code, 'VIR_ERR_OPERATION_FAILED');
  assert.equal(any.message, 'operation failed: multiple matching devices found');
  const unknown = await rejects(conn.detachDevice(dom, NIC.replace('aa:bb:01', 'aa:bb:99')));
  assert.equal(unknown.message, 'device not found: no device matching MAC address 52:54:00:aa:bb:99 found');
  await conn.detachDevice(dom, NIC);
  const config = await rejects(conn.detachDevice(dom, DISK));
  assert.equal(config.message, 'device not found: no target device vdb');
  const odd = await rejects(conn.attachDevice(dom, "<graphics type='vnc'/>"));
  assert.equal(odd.code, 'VIR_ERR_CONFIG_UNSUPPORTED');
  await conn.close();
});

test('a live NIC shows up in the interface statistics', async () => {
  const tc = await openTest('default');
  const { conn, clock } = tc;
  const dom = await conn.lookupByName('test');
  await conn.attachDevice(dom, NIC);
  assert.deepEqual(takeEvents(tc), ['device-added net1']);
  clock.advance(30_000);
  const [target] = await conn.statsTargets();
  const fields = new Map<string, bigint | number | string | boolean>();
  target?.synthetic?.fill('interface', fields);
  assert.equal(fields.get('net.count'), 2);
  assert.equal(fields.get('net.1.name'), 'testnet1');
  await conn.detachDevice(dom, NIC);
  assert.deepEqual(takeEvents(tc), ['device-removed net1']);
  await conn.close();
});
