// Bad input to the qemu driver: each case is a clear error, and no QEMU, tap, cgroup or domain is left
// behind. KVM asked for where it is unusable is simulated by pointing the driver's KVM device path at a
// plain file (this machine's /dev/kvm works).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { DomainState, ShutoffReason } from '../../../src/domain/states.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { cgroupDirsUnder, guestXml, pidsReferencing, qemuDriverEnv, tapsWithPrefix, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';

describe('qemu driver: bad input is a clear error and leaves nothing behind', () => {
  let env: QemuDriverEnv;
  let conn: Connection;
  let n = 0;
  const fresh = (): string => `vmtbad${process.pid}x${n++}`;

  before(async () => {
    env = await qemuDriverEnv('b');
    const notKvm = env.tmp.path('not-kvm');
    await writeFile(notKvm, '');
    conn = await env.open({ kvmDevice: notKvm });
  });

  after(async () => {
    await conn?.close();
    await env?.sweep();
  });

  /** Nothing of a failed start: no QEMU, no tap, no domain cgroup; the domain is shut off (failed or never started). */
  const assertClean = async (): Promise<void> => {
    assert.deepEqual(await pidsReferencing(env.tmp.dir), [], 'no QEMU process');
    assert.deepEqual(await tapsWithPrefix(env.tapPrefix), [], 'no tap');
    assert.deepEqual((await cgroupDirsUnder(env.partition)).filter((d) => d.includes('virtmon-')), [], 'no domain cgroup');
  };

  /** Defines `xml`, expects start to fail with `code` and a message matching `message`. */
  const startFails = async (xml: string, code: string, message: RegExp): Promise<VirtmonError> => {
    const dom = await conn.defineXML(xml);
    const err = await conn.create(dom).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VirtmonError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    assert.equal((await conn.getState(dom)).state, DomainState.SHUTOFF);
    await assertClean();
    await conn.undefine(dom);
    return err;
  };

  test('a missing disk image: SYSTEM_ERROR naming the file', async () => {
    const missing = env.tmp.path('no-such-disk.img');
    await startFails(guestXml({ name: fresh(), disk: missing, tap: { name: `${env.tapPrefix}d` } }), 'VIR_ERR_SYSTEM_ERROR',
      new RegExp(`^Cannot access storage file '${missing}' \\(as uid:\\d+, gid:\\d+\\): no such file or directory`, 'i'));
  });

  test("an unknown machine type: QEMU's own words, shut off (failed)", async () => {
    const name = fresh();
    const dom = await conn.defineXML(guestXml({ name, machine: 'vmt-no-such-machine', tap: { name: `${env.tapPrefix}m` } }));
    const err = await conn.create(dom).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VirtmonError);
    assert.equal(err.code, 'VIR_ERR_INTERNAL_ERROR');
    assert.match(err.message, /^internal error: process exited while connecting to monitor: .*unsupported machine type/s);
    assert.deepEqual(await conn.getState(dom), { state: DomainState.SHUTOFF, reason: ShutoffReason.FAILED });
    await assertClean();
    await conn.undefine(dom);
  });

  test('a duplicate name: OPERATION_FAILED naming the existing UUID, nothing changed', async () => {
    const name = fresh();
    const first = await conn.defineXML(guestXml({ name }));
    const err = await conn.defineXML(guestXml({ name, uuid: randomUUID() })).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VirtmonError);
    assert.equal(err.message, `operation failed: domain '${name}' already exists with uuid ${first.uuid}`);
    assert.equal((await conn.listAllDomains()).filter((d) => d.name === name).length, 1);
    const created = await conn.createXML(guestXml({ name, uuid: randomUUID() })).then(() => undefined, (e: unknown) => e);
    assert.ok(created instanceof VirtmonError && created.code === 'VIR_ERR_OPERATION_FAILED');
    await assertClean();
    await conn.undefine(first);
  });

  test('kvm asked for where it is unusable: CONFIG_UNSUPPORTED before anything is spawned', async () => {
    await startFails(guestXml({ name: fresh(), type: 'kvm', tap: { name: `${env.tapPrefix}k` } }), 'VIR_ERR_CONFIG_UNSUPPORTED',
      /^unsupported configuration: Domain requires KVM, but it is not available\..*not-kvm is not a character device/);
  });

  test('a QEMU binary that exits at once: the start fails and cleans up', async () => {
    await startFails(guestXml({ name: fresh(), emulator: '/bin/false', tap: { name: `${env.tapPrefix}f` } }), 'VIR_ERR_INTERNAL_ERROR',
      /^internal error: process exited while connecting to monitor/);
  });

  test('a QEMU binary that does not exist: SYSTEM_ERROR `Cannot find QEMU binary`', async () => {
    await startFails(guestXml({ name: fresh(), emulator: '/nonexistent/qemu-system-x86_64' }), 'VIR_ERR_SYSTEM_ERROR',
      /^Cannot find QEMU binary \/nonexistent\/qemu-system-x86_64: /);
  });

  test('a transient domain whose start fails is not left in the list', async () => {
    const name = fresh();
    const err = await conn.createXML(guestXml({ name, machine: 'vmt-no-such-machine' })).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VirtmonError && err.code === 'VIR_ERR_INTERNAL_ERROR');
    assert.equal((await conn.listAllDomains()).some((d) => d.name === name), false);
    await assertClean();
  });

  test('XML for another hypervisor is refused at define', async () => {
    const xml = guestXml({ name: fresh() }).replace("type='qemu'", "type='test'");
    await assert.rejects(conn.defineXML(xml), { code: 'VIR_ERR_CONFIG_UNSUPPORTED' });
  });
});
