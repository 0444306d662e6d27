// The per-domain job lock on real QEMU: operations issued together on one domain run one after the
// other in call order (none sees a half-done state), operations on two domains run side by side. The
// deterministic proof that different domains overlap and that a waiter times out is in
// test/integration/qemu/driver-fake-qmp.test.ts, where replies can be held.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainRef } from '../../../src/domain/domain-ref.ts';
import { LifecycleType, ResumedDetail, SuspendedDetail } from '../../../src/domain/events.ts';
import { DomainState, PausedReason, RunningReason } from '../../../src/domain/states.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { guestXml, qemuDriverEnv, recordEvents, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';

describe('qemu driver: the job lock on real QEMU', () => {
  let env: QemuDriverEnv;
  let conn: Connection;
  let a: DomainRef;
  let b: DomainRef;

  before(async () => {
    env = await qemuDriverEnv('j');
    conn = await env.open();
    a = await conn.createXML(guestXml({ name: `vmtjob${process.pid}a`, memoryMiB: 64 }));
    b = await conn.createXML(guestXml({ name: `vmtjob${process.pid}b`, memoryMiB: 64 }));
  });

  after(async () => {
    await conn?.close();
    await env?.sweep();
  });

  test('one domain: suspend, resume, suspend, resume issued at once all succeed, in call order', async () => {
    const rec = recordEvents(conn);
    await Promise.all([conn.suspend(a), conn.resume(a), conn.suspend(a), conn.resume(a)]);
    const p = `${LifecycleType.SUSPENDED}/${SuspendedDetail.PAUSED}`;
    const r = `${LifecycleType.RESUMED}/${ResumedDetail.UNPAUSED}`;
    assert.deepEqual(rec.lifecycle(a.name), [p, r, p, r]);
    assert.deepEqual(await conn.getState(a), { state: DomainState.RUNNING, reason: RunningReason.UNPAUSED });
    rec.stop();
  });

  test('two domains: operations issued together on both complete, each domain in its own order', async () => {
    const rec = recordEvents(conn);
    await Promise.all([conn.suspend(a), conn.suspend(b), conn.resume(a), conn.setMemory(b, 48 * 1024)]);
    assert.deepEqual(await conn.getState(a), { state: DomainState.RUNNING, reason: RunningReason.UNPAUSED });
    assert.deepEqual(await conn.getState(b), { state: DomainState.PAUSED, reason: PausedReason.USER });
    assert.deepEqual(rec.lifecycle(a.name), [`${LifecycleType.SUSPENDED}/${SuspendedDetail.PAUSED}`, `${LifecycleType.RESUMED}/${ResumedDetail.UNPAUSED}`]);
    rec.stop();
  });

  test('destroy issued together with another operation: both settle and the domain is gone', async () => {
    // A transient domain leaves the list when destroyed; both calls settle and nothing hangs.
    const results = await Promise.allSettled([conn.suspend(b), conn.destroy(b)]);
    assert.equal(results[1]?.status, 'fulfilled');
    await assert.rejects(conn.getState(b), { code: 'VIR_ERR_NO_DOMAIN' });
  });
});
