// Define/undefine, persistence, ids, events, autostart, memory, vCPUs, read-only connections and
// missing entries, through the public Connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Connection, openConnection } from '../../../../src/drivers/dispatch.ts';
import type { HypervisorDriver } from '../../../../src/drivers/driver.ts';
import { parseUri } from '../../../../src/drivers/uri.ts';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { recordingLogger } from '../../../../src/domain/logger.ts';
import { openTest, takeEvents } from '../../../helpers/test-driver.ts';

const U1 = 'd1000000-0000-4000-8000-0000000000d1';
const U2 = 'd2000000-0000-4000-8000-0000000000d2';

function domainXml(name: string, uuid: string, more = ''): string {
  return `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>1048576</memory>` +
    `<currentMemory>524288</currentMemory><vcpu current='1'>4</vcpu><os><type>hvm</type></os>${more}` +
    `<devices><disk type='file' device='disk'><source file='/var/lib/vmt/${name}.img'/><target dev='vda' bus='virtio'/></disk>` +
    `<interface type='network'><source network='default'/></interface><memballoon model='virtio'/></devices></domain>`;
}

async function rejects(p: Promise<unknown>): Promise<VirtmonError> {
  try { await p; } catch (e) { if (e instanceof VirtmonError) return e; throw e; }
  assert.fail('expected a rejection');
}

test('define, redefine, start, ids, undefine of a running domain', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const dom = await conn.defineXML(domainXml('vmt-a', U1));
  assert.deepEqual(dom, { name: 'vmt-a', uuid: U1, id: -1 });
  assert.deepEqual(takeEvents(tc), ['Defined Added']);
  await conn.defineXML(domainXml('vmt-a', U1));
  assert.deepEqual(takeEvents(tc), ['Defined Updated']);
  assert.deepEqual(await conn.getState(dom), { state: 5, reason: 0 });

  const started = await conn.create(dom);
  assert.equal(started.id, 2); // `test` holds id 1
  assert.deepEqual(takeEvents(tc), ['Started Booted']);
  await conn.destroy(started);
  const again = await conn.create(dom);
  assert.equal(again.id, 3, 'ids are never reused');
  assert.deepEqual(await conn.lookupByID(3), again);
  const noId = await rejects(conn.lookupByID(2));
  assert.equal(noId.message, 'Domain not found: no domain with matching id 2');

  // A running domain keeps its definition; the new one applies at the next boot.
  await conn.defineXML(domainXml('vmt-a', U1).replace('<memory>1048576</memory>', '<memory>2097152</memory>'));
  assert.equal((await conn.getInfo(dom)).maxMemKiB, 1048576);
  assert.match(await conn.getXMLDesc(dom, { inactive: true }), /2097152/);
  takeEvents(tc);

  await conn.undefine(dom);
  assert.deepEqual(takeEvents(tc), ['Undefined Removed']);
  assert.equal(await conn.isPersistent(dom), false);
  assert.equal(await conn.isActive(dom), true);
  await conn.shutdown(dom);
  assert.deepEqual(takeEvents(tc), ['Shutdown Finished', 'Stopped Shutdown']);
  const gone = await rejects(conn.getState(dom));
  assert.equal(gone.code, 'VIR_ERR_NO_DOMAIN');
  assert.equal(gone.message, `Domain not found: no domain with matching uuid '${U1}' (vmt-a)`);
  await conn.close();
});

test('uniqueness: same name other uuid, same uuid other name; nothing changes', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  await conn.defineXML(domainXml('vmt-a', U1));
  takeEvents(tc);
  const e1 = await rejects(conn.defineXML(domainXml('vmt-a', U2)));
  assert.equal(e1.code, 'VIR_ERR_OPERATION_FAILED');
  assert.equal(e1.message, `operation failed: domain 'vmt-a' already exists with uuid ${U1}`);
  const e2 = await rejects(conn.defineXML(domainXml('vmt-b', U1)));
  assert.equal(e2.message, `operation failed: domain 'vmt-a' is already defined with uuid ${U1}`);
  const e3 = await rejects(conn.createXML(domainXml('test', U2)));
  assert.equal(e3.message, "operation failed: domain 'test' already exists with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f");
  const e4 = await rejects(conn.createXML(domainXml('test', '6695eb01-f6a4-8304-79aa-97f2502e193f')));
  assert.equal(e4.message, "Requested operation is not valid: domain 'test' is already active");
  assert.deepEqual((await conn.listAllDomains()).map((d) => d.name), ['test', 'vmt-a']);
  assert.deepEqual(takeEvents(tc), []);
  await conn.close();
});

test('transient domains: createXML, flags, gone after stop, undefine and autostart refused', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const dom = await conn.createXML(domainXml('vmt-t', U1), { paused: true });
  assert.deepEqual(takeEvents(tc), ['Started Booted', 'Suspended Paused']);
  assert.deepEqual(await conn.getState(dom), { state: 3, reason: 1 });
  assert.equal(await conn.isPersistent(dom), false);
  assert.equal((await rejects(conn.undefine(dom))).message, 'Requested operation is not valid: cannot undefine transient domain');
  assert.equal((await rejects(conn.setAutostart(dom, true))).message,
    'Requested operation is not valid: cannot set autostart for transient domain');
  assert.equal((await rejects(conn.setMemory(dom, 4096, { config: true }))).message,
    'Requested operation is not valid: transient domains do not have any persistent config');
  // Defining a running transient domain gives it a config (an ADDED, not an UPDATED).
  await conn.defineXML(domainXml('vmt-t', U1));
  assert.deepEqual(takeEvents(tc), ['Defined Added']);
  await conn.destroy(dom);
  assert.deepEqual(await conn.getState(dom), { state: 5, reason: 2 });
  await conn.close();
});

test('autodestroy domains go when the connection closes', async () => {
  const tc = await openTest('default');
  await tc.conn.createXML(domainXml('vmt-auto', U1), { autodestroy: true });
  await tc.conn.close();
  assert.deepEqual(takeEvents(tc), ['Started Booted', 'Stopped Destroyed']);
});

test('autostart, memory and vCPUs with AFFECT flags', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const dom = await conn.defineXML(domainXml('vmt-m', U1));
  await conn.setAutostart(dom, true);
  assert.equal(await conn.getAutostart(dom), true);
  assert.equal((await conn.listAllDomains()).find((d) => d.name === 'vmt-m')?.autostart, true);

  // Inactive: CURRENT means CONFIG; LIVE is refused.
  await conn.setMemory(dom, 262144);
  assert.equal((await conn.getInfo(dom)).memoryKiB, 262144);
  assert.equal((await rejects(conn.setMemory(dom, 262144, { live: true }))).message,
    'Requested operation is not valid: domain is not running');
  await conn.setMemory(dom, 2097152, { maximum: true });
  assert.equal((await conn.getInfo(dom)).maxMemKiB, 2097152);
  await conn.setVcpus(dom, 2);
  assert.equal((await conn.getInfo(dom)).nrVirtCpu, 2);
  takeEvents(tc);

  await conn.create(dom);
  takeEvents(tc);
  await conn.setMemory(dom, 1048576);
  assert.deepEqual(takeEvents(tc), ['balloon-change 1048576']);
  assert.equal((await conn.getInfo(dom)).memoryKiB, 1048576);
  const high = await rejects(conn.setMemory(dom, 4194304));
  assert.equal(high.code, 'VIR_ERR_INVALID_ARG');
  assert.equal(high.message, 'invalid argument: cannot set memory higher than max memory');
  assert.equal((await rejects(conn.setMemory(dom, 4194304, { maximum: true }))).message,
    'Requested operation is not valid: cannot resize the maximum memory on an active domain');
  await conn.setVcpus(dom, 3, { live: true });
  assert.equal((await conn.getInfo(dom)).nrVirtCpu, 3);
  assert.equal((await rejects(conn.setVcpus(dom, 5))).message,
    'invalid argument: requested vcpus is greater than max allowable vcpus for the live domain: 5 > 4');
  // The config kept its values; they come back at the next boot.
  await conn.destroy(dom);
  const info = await conn.getInfo(dom);
  assert.deepEqual([info.memoryKiB, info.nrVirtCpu, info.maxMemKiB], [262144, 2, 2097152]);
  await conn.close();
});

test('shutdown honours on_poweroff=restart, reboot honours on_reboot=destroy', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const a = await conn.createXML(domainXml('vmt-r', U1, '<on_poweroff>restart</on_poweroff><on_reboot>destroy</on_reboot>'));
  takeEvents(tc);
  await conn.shutdown(a);
  assert.deepEqual(takeEvents(tc), ['reboot']);
  assert.deepEqual(await conn.getState(a), { state: 1, reason: 1 });
  await conn.reboot(a);
  assert.deepEqual(takeEvents(tc), ['Shutdown Finished', 'Stopped Shutdown']);
  assert.equal((await rejects(conn.getState(a))).code, 'VIR_ERR_NO_DOMAIN');
  await conn.close();
});

test('managed save: start restores it, undefine needs the flag, FORCE_BOOT discards it', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const dom = await conn.lookupByName('test');
  await conn.suspend(dom);
  await conn.managedSave(dom);
  assert.equal(await conn.hasManagedSaveImage(dom), true);
  assert.deepEqual(takeEvents(tc), ['Suspended Paused', 'Stopped Saved']);
  assert.equal((await rejects(conn.undefine(dom))).message,
    'Requested operation is not valid: Refusing to undefine while domain managed save image exists');
  // Saved while paused: it comes back paused.
  const restored = await conn.create(dom);
  assert.deepEqual(takeEvents(tc), ['Started Restored', 'Suspended Restored']);
  assert.deepEqual(await conn.getState(restored), { state: 3, reason: 2 });
  assert.equal(await conn.hasManagedSaveImage(dom), false);
  await conn.managedSave(dom, { running: true });
  await conn.create(dom, { forceBoot: true });
  assert.deepEqual(await conn.getState(dom), { state: 1, reason: 1 });
  assert.equal(await conn.hasManagedSaveImage(dom), false);
  await conn.managedSave(dom);
  await conn.managedSaveRemove(dom);
  assert.equal(await conn.hasManagedSaveImage(dom), false);
  await conn.create(dom);
  await conn.managedSave(dom);
  takeEvents(tc);
  await conn.undefine(dom, { managedSave: true });
  assert.deepEqual(takeEvents(tc), ['Undefined Removed']);
  assert.deepEqual(await conn.listAllDomains(), []);
  await conn.close();
});

test('a read-only connection refuses every change with OPERATION_DENIED and still reads', async () => {
  const { conn } = await openTest('default', { readOnly: true });
  const dom = await conn.lookupByName('test');
  for (const change of [
    () => conn.destroy(dom), () => conn.suspend(dom), () => conn.defineXML(domainXml('vmt-ro', U1)),
    () => conn.setMemory(dom, 1024), () => conn.undefine(dom), () => conn.setAutostart(dom, true),
  ]) {
    const e = await rejects(change());
    assert.equal(e.code, 'VIR_ERR_OPERATION_DENIED');
    assert.equal(e.message, 'operation forbidden for read only access');
  }
  assert.deepEqual(await conn.getState(dom), { state: 1, reason: 0 });
  await conn.close();
});

test('a missing entry raises NO_SUPPORT naming the libvirt API', async () => {
  const tiny: HypervisorDriver = {
    name: 'vmt-tiny', uriSchemes: ['vmttiny'], localOnly: true,
    open: () => Promise.resolve({ close: () => Promise.resolve() }),
  };
  const conn = await openConnection(parseUri('vmttiny:///'), [tiny]);
  assert.ok(conn instanceof Connection);
  assert.equal(conn.supports('suspend'), false);
  const e = await rejects(conn.suspend({ name: 'x', uuid: U1, id: 1 }));
  assert.equal(e.code, 'VIR_ERR_NO_SUPPORT');
  assert.equal(e.message, 'this function is not supported by the connection driver: virDomainSuspend');
  await conn.close();
  const closed = await rejects(conn.listAllDomains());
  assert.equal(closed.code, 'VIR_ERR_INTERNAL_ERROR');
});

test('a throwing event listener is reported and the operation still succeeds', async () => {
  const logger = recordingLogger();
  const { conn } = await openTest('default', { logger });
  conn.onDomainEvent(() => { throw new Error('vmt listener failure'); });
  await conn.suspend(await conn.lookupByName('test'));
  assert.deepEqual(logger.lines.map((l) => [l.level, l.message, l.fields.domain, l.fields.event]),
    [['warn', 'domain event listener threw', 'test', 'lifecycle']]);
  assert.deepEqual(await conn.getState(await conn.lookupByName('test')), { state: 3, reason: 1 });
  await conn.close();
});
