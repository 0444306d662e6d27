// The qemu driver against scripted fake QMP servers, for what real QEMU does not do on demand: the job
// lock (one domain's operations serialize and time out with libvirt's message, different domains run
// in parallel), a monitor EOF in the middle of an operation (a live QEMU is kept and reconnected, a
// dead one is a crash), a command that never answers, a migration that fails, guest events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { CrashedDetail, LifecycleType, ResumedDetail, ShutdownDetail, StoppedDetail, SuspendedDetail } from '../../../src/domain/events.ts';
import { CrashedReason, DomainState, PausedReason, RunningReason, ShutdownReason } from '../../../src/domain/states.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import type { QmpOutcome } from '../../../src/domain/qmp-observer.ts';
import { qmpMetricsObserver } from '../../../src/agent/wiring/qmp-metrics.ts';
import { Registry } from 'prom-client';
import { fakeDomain, type FakeDomain } from '../../helpers/fake-qemu-domain.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { qemuDriverEnv, recordEvents, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';

const STOP = { event: 'STOP' };
const RESUME = { event: 'RESUME' };
const ev = (type: number, detail: number): string => `${type}/${detail}`;

describe('qemu driver on fake QMP monitors', () => {
  let env: QemuDriverEnv;
  let conn: Connection;
  let rec: ReturnType<typeof recordEvents>;
  const registry = new Registry();
  const observed: { command: string; seconds: number; outcome: QmpOutcome }[] = [];
  const doms: Record<string, FakeDomain> = {};
  const names = ['lock', 'other', 'eof', 'hang', 'mig', 'guest', 'panic', 'drift'] as const;
  const dom = (k: (typeof names)[number]): FakeDomain => {
    const d = doms[k];
    assert.ok(d !== undefined);
    return d;
  };
  const ref = (k: (typeof names)[number]): { name: string; uuid: string; id: number } => ({ name: dom(k).name, uuid: dom(k).uuid, id: dom(k).id });

  before(async () => {
    env = await qemuDriverEnv('f');
    const runDir = String(env.settings.runDir);
    for (const [i, k] of names.entries()) {
      doms[k] = await fakeDomain(runDir, `vmtfake${process.pid}${k}`, i + 1, k === 'panic' ? { onCrash: 'preserve' } : {});
      const steps = dom(k).reconnectSteps();
      // 'drift' was paused behind the driver's back: QEMU says so when the driver comes back.
      if (k === 'drift') steps[0] = { execute: 'query-status', reply: { return: { status: 'paused', running: false, singlestep: false } } };
      dom(k).server.expect(...steps);
    }
    const metrics = qmpMetricsObserver(registry);
    conn = await env.open({ jobTimeoutMs: 300, qmpTimeoutMs: 1_000 }, (command, seconds, outcome) => {
      observed.push({ command, seconds, outcome });
      metrics(command, seconds, outcome);
    });
    rec = recordEvents(conn);
  });

  after(async () => {
    rec?.stop();
    await conn?.close();
    for (const d of Object.values(doms)) await d.close();
    await env?.sweep();
  });

  test('a domain paused while nobody watched is found paused (user)', async () => {
    assert.deepEqual(await conn.getState(ref('drift')), { state: DomainState.PAUSED, reason: PausedReason.USER });
    dom('drift').server.assertDone();
  });

  test('every other fake domain was taken over: running (booted), with its pid', async () => {
    for (const k of names.filter((n) => n !== 'drift')) {
      assert.deepEqual(await conn.getState(ref(k)), { state: DomainState.RUNNING, reason: RunningReason.BOOTED });
      const t = (await conn.statsTargets()).find((x) => x.ref.uuid === dom(k).uuid);
      assert.equal(t?.pid, dom(k).pid);
      dom(k).server.assertDone();
    }
  });

  test('one domain: a second operation waits for the first, and times out with libvirt\'s message', async () => {
    const d = dom('lock');
    d.server.expect({ execute: 'stop', mode: 'hold', eventsBefore: [STOP] });
    const first = conn.suspend(ref('lock'));
    await d.server.waitForHeld(1);
    const err = await conn.reset(ref('lock')).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VirtmonError);
    assert.equal(err.message, 'Timed out during operation: cannot acquire state change lock (held by virDomainSuspend)');
    assert.equal(d.server.received.filter((r) => r.execute === 'system_reset').length, 0, 'the second command was never sent');
    d.server.release();
    await first;
    assert.deepEqual(await conn.getState(ref('lock')), { state: DomainState.PAUSED, reason: PausedReason.USER });
  });

  test('two domains: an operation on one completes while the other\'s is still in flight', async () => {
    const a = dom('lock');
    const b = dom('other');
    a.server.expect({ execute: 'cont', mode: 'hold', eventsBefore: [RESUME] });
    b.server.expect({ execute: 'stop', eventsBefore: [STOP] });
    const slow = conn.resume(ref('lock'));
    await a.server.waitForHeld(1);
    await conn.suspend(ref('other'));
    assert.equal(a.server.heldCount, 1, 'the first domain is still waiting for its reply');
    assert.deepEqual(await conn.getState(ref('other')), { state: DomainState.PAUSED, reason: PausedReason.USER });
    a.server.release();
    await slow;
    assert.deepEqual(await conn.getState(ref('lock')), { state: DomainState.RUNNING, reason: RunningReason.UNPAUSED });
    a.server.assertDone();
    b.server.assertDone();
  });

  test('a monitor EOF mid-operation: the call fails, the live QEMU is kept (control error) and reconnected', async () => {
    const d = dom('eof');
    d.server.expect({ execute: 'stop', mode: 'drop' }, ...d.reconnectSteps());
    const err = await conn.suspend(ref('eof')).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VirtmonError);
    assert.equal(err.code, 'VIRTMON_ERR_QMP_INTERRUPTED');
    await pollUntil('CONTROL_ERROR', 15_000, () => (rec.events.some((e) => e.kind === 'control-error' && e.domain.uuid === d.uuid) ? true : undefined), 50);
    assert.equal((await conn.getState(ref('eof'))).state, DomainState.RUNNING, 'not killed, not crashed');
    await pollUntil('the reconnect', 15_000, () => (d.server.received.filter((r) => r.execute === 'query-status').length >= 2 ? true : undefined), 50);
    d.server.expect({ execute: 'stop', eventsBefore: [STOP] });
    await pollUntil('the monitor to be usable', 15_000, async () => conn.suspend(ref('eof')).then(() => true, () => undefined), 100);
    assert.deepEqual(await conn.getState(ref('eof')), { state: DomainState.PAUSED, reason: PausedReason.USER });
  });

  test('a monitor EOF because QEMU died: shut off (crashed), STOPPED/FAILED', async () => {
    const d = dom('eof');
    await d.kill();
    d.server.dropClients();
    await pollUntil('STOPPED', 15_000, () => (rec.lifecycle(d.name).includes(ev(LifecycleType.STOPPED, StoppedDetail.FAILED)) ? true : undefined), 50);
    await assert.rejects(conn.getState(ref('eof')), { code: 'VIR_ERR_NO_DOMAIN' }, 'a transient domain leaves the list');
    await assert.rejects(access(`${String(env.settings.runDir)}/${d.name}.status.json`));
  });

  test('a command that never answers: the call times out and the job is free again', async () => {
    const d = dom('hang');
    d.server.expect({ execute: 'system_reset', mode: 'never' }, { execute: 'stop', eventsBefore: [STOP] });
    await assert.rejects(conn.reset(ref('hang')), { code: 'VIR_ERR_OPERATION_TIMEOUT', message: "Timed out during operation: QEMU command 'system_reset' got no reply within 1000 ms" });
    await conn.suspend(ref('hang'));
    assert.deepEqual(await conn.getState(ref('hang')), { state: DomainState.PAUSED, reason: PausedReason.USER });
  });

  test('the QMP observer sees each command: the reconnect at open (ok), the unanswered one (timeout), into the metrics', async () => {
    // Every fake domain's reconnect ran query-status through the observer, answered.
    const ok = observed.filter((o) => o.command === 'query-status' && o.outcome === 'ok');
    assert.ok(ok.length >= names.length, `query-status observed ${ok.length} times`);
    for (const o of observed) assert.ok(o.seconds >= 0 && o.seconds < 30, `${o.command} took ${o.seconds} s`);
    const timedOut = observed.filter((o) => o.outcome === 'timeout');
    assert.deepEqual(timedOut.map((o) => o.command), ['system_reset']);
    assert.ok((timedOut[0]?.seconds ?? 0) >= 0.9, `the timeout was observed after ${timedOut[0]?.seconds} s`);
    const text = await registry.metrics();
    assert.match(text, /^virtmon_qmp_timeouts_total\{command="system_reset"\} 1$/m);
    assert.match(text, /^virtmon_qmp_command_duration_seconds_count\{command="system_reset"\} 1$/m);
    assert.match(text, /^virtmon_qmp_command_duration_seconds_bucket\{le="\+Inf",command="query-status"\} \d+$/m);
    assert.doesNotMatch(text, /virtmon_qmp_timeouts_total\{command="query-status"\}/);
  });

  test('a migration that fails: the save is cancelled, the guest resumed (save canceled), no image left', async () => {
    const d = dom('mig');
    const n = rec.lifecycle(d.name).length;
    d.server.expect(
      { execute: 'stop', eventsBefore: [STOP] },
      { execute: 'migrate-set-parameters' },
      { execute: 'migrate' },
      { execute: 'query-migrate', reply: { return: { status: 'failed', 'error-desc': 'vmt: disk full' } } },
      { execute: 'cont', eventsBefore: [RESUME] },
    );
    const image = env.tmp.path('mig.save');
    await assert.rejects(conn.save(ref('mig'), image), { code: 'VIR_ERR_OPERATION_FAILED', message: "operation failed: job 'domain save' failed: vmt: disk full" });
    assert.deepEqual(await conn.getState(ref('mig')), { state: DomainState.RUNNING, reason: RunningReason.SAVE_CANCELED });
    assert.deepEqual(rec.lifecycle(d.name).slice(n), [ev(LifecycleType.SUSPENDED, SuspendedDetail.PAUSED), ev(LifecycleType.RESUMED, ResumedDetail.UNPAUSED)]);
    await assert.rejects(access(image));
    d.server.assertDone();
  });

  test('guest events: an I/O error pauses, a guest poweroff ends in shut off (shutdown)', async () => {
    const d = dom('guest');
    const n = rec.lifecycle(d.name).length;
    d.server.sendEvent('BLOCK_IO_ERROR', { device: '', 'node-name': 'libvirt-1-format', operation: 'write', action: 'stop', reason: 'No space left on device' });
    d.server.sendEvent('STOP');
    await pollUntil('PAUSED/IOERROR', 5_000, async () => ((await conn.getState(ref('guest'))).reason === PausedReason.IOERROR ? true : undefined), 20);
    const io = rec.events.find((e) => e.kind === 'io-error' && e.domain.uuid === d.uuid);
    assert.deepEqual(io?.kind === 'io-error' ? [io.device, io.action, io.reason] : [], ['vda', 'stop', 'No space left on device']);
    d.server.sendEvent('SHUTDOWN', { guest: true, reason: 'guest-shutdown' });
    await pollUntil('SHUTDOWN state', 5_000, async () => ((await conn.getState(ref('guest'))).state === DomainState.SHUTDOWN ? true : undefined), 20);
    assert.deepEqual(await conn.getState(ref('guest')), { state: DomainState.SHUTDOWN, reason: ShutdownReason.UNKNOWN });
    // The driver sent SIGTERM: the fake QEMU exits; its monitor closing completes the shutdown.
    await pollUntil('the fake QEMU to exit on SIGTERM', 5_000, () => (d.proc.exitCode !== null || d.proc.signalCode !== null ? true : undefined), 20);
    d.server.dropClients();
    await pollUntil('STOPPED/SHUTDOWN', 15_000, () => (rec.lifecycle(d.name).includes(ev(LifecycleType.STOPPED, StoppedDetail.SHUTDOWN)) ? true : undefined), 50);
    assert.deepEqual(rec.lifecycle(d.name).slice(n), [
      ev(LifecycleType.SUSPENDED, SuspendedDetail.IOERROR), ev(LifecycleType.SHUTDOWN, ShutdownDetail.GUEST), ev(LifecycleType.STOPPED, StoppedDetail.SHUTDOWN),
    ]);
  });

  test('a guest panic with on_crash=preserve: crashed (panicked), CRASHED/PANICKED; resume runs it again (crashed)', async () => {
    const d = dom('panic');
    d.server.sendEvent('GUEST_PANICKED', { action: 'pause' });
    await pollUntil('CRASHED', 5_000, async () => ((await conn.getState(ref('panic'))).state === DomainState.CRASHED ? true : undefined), 20);
    assert.deepEqual(await conn.getState(ref('panic')), { state: DomainState.CRASHED, reason: CrashedReason.PANICKED });
    assert.deepEqual(rec.lifecycle(d.name), [ev(LifecycleType.CRASHED, CrashedDetail.PANICKED)]);
    d.server.expect({ execute: 'cont', eventsBefore: [RESUME] });
    await conn.resume(ref('panic'));
    assert.deepEqual(await conn.getState(ref('panic')), { state: DomainState.RUNNING, reason: RunningReason.CRASHED });
    d.server.assertDone();
  });
});
