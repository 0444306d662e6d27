// save/restore through real files in libvirt's test-driver image layout.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { readSaveImage, writeSaveImage } from '../../../../src/drivers/test/save-image.ts';
import { openTest, takeEvents, tempDir } from '../../../helpers/test-driver.ts';

const tmp = tempDir();
after(() => { tmp.cleanup(); });

async function rejects(p: Promise<unknown>): Promise<VirtmonError> {
  try { await p; } catch (e) { if (e instanceof VirtmonError) return e; throw e; }
  assert.fail('expected a rejection');
}

test('round trip: save stops the domain, restore brings it back running with a new id', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const path = join(tmp.dir, 'test.save');
  const dom = await conn.lookupByName('test');
  const before = await conn.getXMLDesc(dom, { inactive: true });
  await conn.save(dom, path);
  assert.deepEqual(takeEvents(tc), ['Stopped Saved']);
  assert.deepEqual(await conn.getState(dom), { state: 5, reason: 5 });

  const raw = readFileSync(path);
  assert.equal(raw.subarray(0, 15).toString('latin1'), 'TestGuestMagic\0');
  const len = raw.readInt32LE(15);
  assert.match(raw.subarray(19, 19 + len).toString('utf8'), /<name>test<\/name>/);
  assert.equal(raw.readUInt32LE(19 + len), 1, 'was_running');

  const back = await conn.restore(path);
  assert.deepEqual(takeEvents(tc), ['Started Restored']);
  assert.equal(back.name, 'test');
  assert.equal(back.id, 2);
  assert.deepEqual(await conn.getState(back), { state: 1, reason: 3 });
  assert.equal(await conn.getXMLDesc(back, { inactive: true }), before);
  const again = await rejects(conn.restore(path));
  assert.equal(again.message, "Requested operation is not valid: domain 'test' is already active");
  await conn.close();
});

test('a paused domain restores paused; flags override the image', async () => {
  const tc = await openTest('default');
  const { conn } = tc;
  const path = join(tmp.dir, 'paused.save');
  const dom = await conn.lookupByName('test');
  await conn.suspend(dom);
  await conn.save(dom, path);
  takeEvents(tc);
  await conn.restore(path);
  assert.deepEqual(takeEvents(tc), ['Started Restored', 'Suspended Restored']);
  assert.deepEqual(await conn.getState(dom), { state: 3, reason: 2 });
  await conn.destroy(dom);
  await conn.restore(path, { running: true });
  assert.deepEqual(await conn.getState(dom), { state: 1, reason: 3 });
  await conn.save(dom, path, { paused: true });
  takeEvents(tc);
  await conn.restore(path, { paused: true });
  assert.deepEqual(takeEvents(tc), ['Started Restored', 'Suspended Paused']);
  const both = await rejects(conn.save(dom, path, { running: true, paused: true }));
  assert.equal(both.code, 'VIR_ERR_INVALID_ARG');
  await conn.close();
});

test('a transient domain saved and restored is transient again', async () => {
  const { conn } = await openTest('all-states.xml');
  const path = join(tmp.dir, 'transient.save');
  const dom = await conn.lookupByName('vmt-transient');
  await conn.save(dom, path);
  assert.equal((await rejects(conn.lookupByName('vmt-transient'))).code, 'VIR_ERR_NO_DOMAIN');
  const back = await conn.restore(path);
  assert.equal(await conn.isPersistent(back), false);
  await conn.close();
});

test('restore refuses files that are not save images, with the path in the message', async () => {
  const { conn } = await openTest('default');
  const notImage = join(tmp.dir, 'not-an-image');
  writeFileSync(notImage, 'hello, this is not a save image at all');
  const bad = await rejects(conn.restore(notImage));
  assert.equal(bad.code, 'VIR_ERR_INTERNAL_ERROR');
  assert.equal(bad.message, `internal error: mismatched header magic: '${notImage}' is not a test driver save image`);
  const short = join(tmp.dir, 'short');
  writeFileSync(short, 'Test');
  assert.equal((await rejects(conn.restore(short))).message, `incomplete save header in '${short}'`);
  const huge = join(tmp.dir, 'huge');
  const buf = Buffer.alloc(19);
  buf.write('TestGuestMagic\0', 'latin1');
  buf.writeInt32LE(0x7fffffff, 15);
  writeFileSync(huge, buf);
  assert.match((await rejects(conn.restore(huge))).message, /length of metadata out of range/);
  const cut = join(tmp.dir, 'cut');
  buf.writeInt32LE(100, 15);
  writeFileSync(cut, Buffer.concat([buf, Buffer.from('<domain')]));
  assert.equal((await rejects(conn.restore(cut))).message, `incomplete metadata in '${cut}'`);
  const missing = await rejects(conn.restore(join(tmp.dir, 'nope')));
  assert.equal(missing.code, 'VIR_ERR_SYSTEM_ERROR');
  assert.match(missing.message, /^cannot read domain image '.*nope': ENOENT/);
  // Nothing was started by any of that.
  assert.deepEqual((await conn.listAllDomains()).map((d) => [d.name, d.state]), [['test', 1]]);
  await conn.close();
});

test('save to an unwritable path fails and leaves the domain running', async () => {
  const tc = await openTest('default');
  const dom = await tc.conn.lookupByName('test');
  const e = await rejects(tc.conn.save(dom, join(tmp.dir, 'no-such-dir', 'x.save')));
  assert.equal(e.code, 'VIR_ERR_SYSTEM_ERROR');
  assert.match(e.message, /^saving domain 'test' to '.*x\.save': write failed: ENOENT/);
  assert.deepEqual(await tc.conn.getState(dom), { state: 1, reason: 0 });
  assert.deepEqual(takeEvents(tc), []);
  await tc.conn.close();
});

test('an image without virtmon\'s was_running trailer (libvirt\'s layout) restores running', async () => {
  const path = join(tmp.dir, 'libvirt-layout');
  await writeSaveImage(path, 'x', { xml: '<domain/>', wasRunning: false });
  const full = readFileSync(path);
  writeFileSync(path, full.subarray(0, full.length - 4));
  assert.deepEqual(await readSaveImage(path), { xml: '<domain/>', wasRunning: true });
});
