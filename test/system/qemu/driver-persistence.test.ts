// Persistence of the qemu driver on real QEMU: managed save (undefine refused while the image exists,
// the next start restores and deletes it, FORCE_BOOT discards it), autostart links, and close()
// leaving QEMU running for the next open in this process to find again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readlink } from 'node:fs/promises';
import type { DomainRef } from '../../../src/domain/domain-ref.ts';
import { LifecycleType, StartedDetail, StoppedDetail, SuspendedDetail } from '../../../src/domain/events.ts';
import { DomainState, RunningReason, ShutoffReason } from '../../../src/domain/states.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { readProcStat } from '../../../src/drivers/qemu/proc.ts';
import { guestXml, qemuDriverEnv, recordEvents, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';

describe('qemu driver: managed save, autostart, close and reopen', () => {
  let env: QemuDriverEnv;
  let conn: Connection;
  let dom: DomainRef;
  const name = `vmtpers${process.pid}`;
  const image = (): string => env.tmp.path(`state/save/${name}.save`);

  before(async () => {
    env = await qemuDriverEnv('p');
    conn = await env.open();
    dom = await conn.defineXML(guestXml({ name, memoryMiB: 64 }));
  });

  after(async () => {
    await conn?.close();
    await env?.sweep();
  });

  test('managed save: shut off (saved), the image exists, undefine is refused', async () => {
    dom = await conn.create(dom);
    const rec = recordEvents(conn);
    await conn.managedSave(dom);
    assert.deepEqual(await conn.getState(dom), { state: DomainState.SHUTOFF, reason: ShutoffReason.SAVED });
    assert.deepEqual(rec.lifecycle(name), [`${LifecycleType.SUSPENDED}/${SuspendedDetail.PAUSED}`, `${LifecycleType.STOPPED}/${StoppedDetail.SAVED}`]);
    assert.equal(await conn.hasManagedSaveImage(dom), true);
    assert.equal((await conn.listAllDomains()).find((d) => d.name === name)?.managedSave, true);
    await access(image());
    await assert.rejects(conn.undefine(dom), { message: 'Requested operation is not valid: Refusing to undefine while domain managed save image exists' });
    rec.stop();
  });

  test('the image survives a close and reopen of the driver', async () => {
    await conn.close();
    conn = await env.open();
    assert.equal(await conn.hasManagedSaveImage(await conn.lookupByName(name)), true);
  });

  test('start restores the image: running (restored), STARTED/RESTORED, image deleted', async () => {
    const rec = recordEvents(conn);
    dom = await conn.create(await conn.lookupByName(name));
    assert.deepEqual(await conn.getState(dom), { state: DomainState.RUNNING, reason: RunningReason.RESTORED });
    assert.deepEqual(rec.lifecycle(name), [`${LifecycleType.STARTED}/${StartedDetail.RESTORED}`]);
    assert.equal(await conn.hasManagedSaveImage(dom), false);
    await assert.rejects(access(image()));
    rec.stop();
  });

  test('FORCE_BOOT discards a managed-save image and boots', async () => {
    await conn.managedSave(dom);
    dom = await conn.create(dom, { forceBoot: true });
    assert.deepEqual(await conn.getState(dom), { state: DomainState.RUNNING, reason: RunningReason.BOOTED });
    await assert.rejects(access(image()));
  });

  test('close() leaves QEMU running; the next open finds it with the same pid and id', async () => {
    const before = (await conn.statsTargets()).find((t) => t.ref.uuid === dom.uuid);
    assert.ok(before?.pid !== undefined);
    const ticks = (await readProcStat(before.pid))?.startTicks;
    await conn.close();
    conn = await env.open();
    const again = (await conn.statsTargets()).find((t) => t.ref.uuid === dom.uuid);
    assert.equal(again?.pid, before.pid);
    assert.equal(again?.ref.id, dom.id);
    assert.equal((await readProcStat(before.pid))?.startTicks, ticks);
    assert.equal((await conn.getState(dom)).state, DomainState.RUNNING);
  });

  test('autostart: a link in config/autostart, kept across a reopen, removed with the definition', async () => {
    await conn.setAutostart(dom, true);
    const link = env.tmp.path(`state/config/autostart/${name}.xml`);
    assert.equal(await readlink(link), env.tmp.path(`state/config/${name}.xml`));
    await conn.close();
    conn = await env.open();
    assert.equal(await conn.getAutostart(dom), true);
    await conn.destroy(dom);
    await conn.undefine(dom);
    await assert.rejects(access(link));
    await assert.rejects(conn.lookupByName(name), { code: 'VIR_ERR_NO_DOMAIN' });
  });
});
