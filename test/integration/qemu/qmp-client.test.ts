import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { VirtmonError, type ErrorCode } from '../../../src/domain/errors.ts';
import type { QmpExecutor } from '../../../src/domain/stats-target.ts';
import { QmpClient, type QmpClientOptions } from '../../../src/drivers/qemu/qmp/client.ts';
import { recordingLogger, type RecordedLog } from '../../../src/domain/logger.ts';
import type { QmpOutcome } from '../../../src/domain/qmp-observer.ts';
import type { QmpEvent } from '../../../src/drivers/qemu/qmp/types.ts';
import { FakeQmpServer, type FakeQmpServerOptions } from '../../helpers/fake-qmp-server.ts';

// Every rejection the client creates must reach a caller; this hook sees any that does not.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
before(() => process.on('unhandledRejection', onUnhandled));

const hasCode = (code: ErrorCode) => (err: unknown): boolean => {
  assert.ok(err instanceof VirtmonError, `expected a VirtmonError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  return true;
};

/** A fake server plus a client; both are closed after the test, also on failure. */
async function setup(
  t: { after(fn: () => Promise<void>): void },
  serverOptions: FakeQmpServerOptions = {},
  clientOptions: Partial<QmpClientOptions> = {},
): Promise<{ server: FakeQmpServer; client: QmpClient }> {
  const server = await FakeQmpServer.start(serverOptions);
  const client = new QmpClient({ path: server.path, ...clientOptions });
  t.after(async () => {
    await client.close();
    await server.close();
  });
  return { server, client };
}

describe('QMP client against the scripted fake server', () => {
  test('negotiates: greeting, events before the capabilities reply, then ready', async (t) => {
    const { server, client } = await setup(t, {
      eventsBeforeCapabilities: [{ event: 'RESUME' }, { event: 'RTC_CHANGE', data: { offset: 3, 'qom-path': '/machine/unattached/device[8]' } }],
    });
    const seen: QmpEvent[] = [];
    client.onAnyEvent((ev) => seen.push(ev));
    assert.equal(client.state, 'new');
    const connecting = client.connect();
    assert.equal(client.state, 'connecting');
    const greeting = await connecting;
    assert.equal(client.state, 'ready');
    assert.equal(greeting.QMP.version.qemu.major, 7);
    assert.deepEqual(client.greeting, greeting);
    assert.deepEqual(seen.map((e) => e.event), ['RESUME', 'RTC_CHANGE']);
    assert.deepEqual(seen[1]?.data, { offset: 3, 'qom-path': '/machine/unattached/device[8]' });
    assert.equal(typeof seen[0]?.timestamp.seconds, 'number');

    server.expect({ execute: 'query-status', reply: { return: { status: 'prelaunch', running: false, singlestep: false } } });
    const status = await client.execute('query-status');
    assert.equal(status.status, 'prelaunch');
    server.assertDone();
  });

  test('waits for a late greeting; fails with OPERATION_TIMEOUT when none comes', async (t) => {
    const { client } = await setup(t, { greetingDelayMs: 150 });
    await client.connect();
    assert.equal(client.state, 'ready');

    const { client: silent } = await setup(t, { greeting: false }, { connectTimeoutMs: 200 });
    await assert.rejects(silent.connect(), hasCode('VIR_ERR_OPERATION_TIMEOUT'));
    assert.equal(silent.state, 'closed');
  });

  test('a never-answered qmp_capabilities hits the connect deadline', async (t) => {
    const { client } = await setup(t, { capabilitiesMode: 'never' }, { connectTimeoutMs: 200 });
    await assert.rejects(client.connect(), hasCode('VIR_ERR_OPERATION_TIMEOUT'));
    assert.equal(client.state, 'closed');
  });

  test('a refused qmp_capabilities fails the connect with the QMP error', async (t) => {
    const { client } = await setup(t, { capabilitiesReply: { error: { class: 'GenericError', desc: 'nope' } } });
    await assert.rejects(client.connect(), (err: unknown) => hasCode('VIR_ERR_INTERNAL_ERROR')(err)
      && (err as VirtmonError).message === "internal error: unable to execute QEMU command 'qmp_capabilities': nope");
  });

  test('retries until the socket appears, and gives up at the deadline', async (t) => {
    const { server, client } = await setup(t, { deferListen: true }, { retryIntervalMs: 10 });
    const connecting = client.connect();
    await sleep(100); // the socket does not exist yet: the client is retrying
    assert.equal(client.state, 'connecting');
    await server.listen();
    await connecting;
    assert.equal(client.state, 'ready');

    const { client: never } = await setup(t, { deferListen: true }, { connectTimeoutMs: 150, retryIntervalMs: 10 });
    await assert.rejects(never.connect(), hasCode('VIR_ERR_OPERATION_TIMEOUT'));
  });

  test('close() during the connect retry loop rejects the connect with QMP_INTERRUPTED', async (t) => {
    const { client } = await setup(t, { deferListen: true }, { retryIntervalMs: 10 });
    const connecting = client.connect();
    await sleep(30);
    await client.close();
    await assert.rejects(connecting, hasCode('VIRTMON_ERR_QMP_INTERRUPTED'));
    assert.equal(client.state, 'closed');
  });

  test('an AbortSignal cancels the connect', async (t) => {
    const { client } = await setup(t, { deferListen: true }, { retryIntervalMs: 10 });
    await assert.rejects(client.connect(AbortSignal.timeout(50)), hasCode('VIR_ERR_OPERATION_TIMEOUT'));
    const { client: other } = await setup(t, { greeting: false });
    const ac = new AbortController();
    const connecting = other.connect(ac.signal);
    ac.abort();
    await assert.rejects(connecting, hasCode('VIR_ERR_OPERATION_ABORTED'));
  });

  test('many commands in flight, replies out of order, each matched by id', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    const n = 20;
    for (let i = 0; i < n; i++) {
      server.expect({ execute: 'query-balloon', mode: 'hold', reply: (req) => ({ return: { actual: req.arguments?.n } }) });
    }
    const calls = Array.from({ length: n }, (_, i) => client.execute<{ actual: number }>('query-balloon', { n: i }));
    await server.waitForHeld(n);
    // Reverse order, with events interleaved.
    server.sendEvent('BALLOON_CHANGE', { actual: 1 });
    server.release(Array.from({ length: n }, (_, i) => n - 1 - i));
    const results = await Promise.all(calls);
    assert.deepEqual(results.map((r) => r.actual), Array.from({ length: n }, (_, i) => i));
    assert.deepEqual(new Set(server.received.map((r) => r.id)).size, n);
    assert.ok(server.received.every((r) => typeof r.id === 'string' && /^virtmon-\d+$/.test(r.id)));
    assert.equal(client.counters.replies, n + 1);
    server.assertDone();
  });

  test('a QMP error reply is INTERNAL_ERROR in libvirt wording with the class; the connection stays usable', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    server.expect(
      { execute: 'qom-get', arguments: { path: '/nope', property: 'x' }, reply: { error: { class: 'DeviceNotFound', desc: "Device '/nope' not found" } } },
      { execute: 'query-version', reply: { return: { qemu: { major: 7, minor: 2, micro: 22 }, package: '' } } },
    );
    await assert.rejects(client.execute('qom-get', { path: '/nope', property: 'x' }), (err: unknown) => {
      hasCode('VIR_ERR_INTERNAL_ERROR')(err);
      const e = err as VirtmonError;
      assert.equal(e.message, "internal error: unable to execute QEMU command 'qom-get': Device '/nope' not found");
      assert.equal(e.qmpClass, 'DeviceNotFound');
      assert.equal(e.libvirtCode, 1);
      return true;
    });
    assert.equal((await client.execute('query-version')).qemu.minor, 2);
    server.assertDone();
  });

  test('a command past its deadline is OPERATION_TIMEOUT; its late reply is dropped quietly', async (t) => {
    const log = recordingLogger();
    const { server, client } = await setup(t, {}, { logger: log, commandTimeoutMs: 5000 });
    await client.connect();
    server.expect(
      { execute: 'query-blockstats', mode: 'hold', reply: { return: [] } },
      { execute: 'query-status', reply: { return: { status: 'running', running: true, singlestep: false } } },
    );
    await assert.rejects(client.execute('query-blockstats', undefined, { timeoutMs: 50 }), (err: unknown) =>
      hasCode('VIR_ERR_OPERATION_TIMEOUT')(err)
      && (err as Error).message === "Timed out during operation: QEMU command 'query-blockstats' got no reply within 50 ms");
    assert.equal(client.state, 'ready');
    server.release();
    assert.equal((await client.execute('query-status')).running, true);
    assert.equal(client.counters.droppedReplies, 1);
    assert.deepEqual(log.lines.filter((e) => e.level === 'warn'), []);
    assert.ok(log.lines.some((e) => e.level === 'debug' && e.message.includes('late QMP reply')));
    server.assertDone();
  });

  test('AbortSignal: abort() is OPERATION_ABORTED, AbortSignal.timeout is OPERATION_TIMEOUT, pre-aborted sends nothing', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    server.expect({ execute: 'stop', mode: 'never' }, { execute: 'cont', mode: 'never' });
    const ac = new AbortController();
    const stopping = client.execute('stop', undefined, { signal: ac.signal });
    await server.waitForRequests(1);
    ac.abort();
    await assert.rejects(stopping, hasCode('VIR_ERR_OPERATION_ABORTED'));
    await assert.rejects(client.execute('cont', undefined, { signal: AbortSignal.timeout(30) }), hasCode('VIR_ERR_OPERATION_TIMEOUT'));
    await assert.rejects(client.execute('quit', undefined, { signal: AbortSignal.abort() }), hasCode('VIR_ERR_OPERATION_ABORTED'));
    assert.deepEqual(server.received.map((r) => r.execute), ['stop', 'cont']);
    server.assertDone();
  });

  test('losing the connection rejects every pending command and wait with QMP_INTERRUPTED', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    const reasons: VirtmonError[] = [];
    client.onClose((r) => reasons.push(r));
    for (let i = 0; i < 5; i++) server.expect({ execute: 'query-status', mode: 'hold' });
    const calls = Array.from({ length: 5 }, () => client.execute('query-status'));
    const waiting = client.waitForEvent('SHUTDOWN', undefined, 10_000);
    const allRejected = Promise.all([...calls, waiting].map((p) => assert.rejects(p, hasCode('VIRTMON_ERR_QMP_INTERRUPTED'))));
    await server.waitForHeld(5);
    server.dropClients();
    await allRejected;
    assert.equal(client.state, 'closed');
    assert.equal(reasons.length, 1);
    assert.match(reasons[0]?.message ?? '', /QEMU monitor connection closed: end of file from QEMU monitor/);
    await assert.rejects(client.execute('query-status'), hasCode('VIRTMON_ERR_QMP_INTERRUPTED'));
    await assert.rejects(client.waitForEvent('STOP'), hasCode('VIRTMON_ERR_QMP_INTERRUPTED'));
  });

  test('a connection dropped in the middle of a reply rejects the command with QMP_INTERRUPTED', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    server.expect({ execute: 'query-blockstats', mode: 'drop', reply: { return: [{ device: '', stats: {} }] } });
    await assert.rejects(client.execute('query-blockstats'), hasCode('VIRTMON_ERR_QMP_INTERRUPTED'));
    assert.equal(client.state, 'closed');
  });

  test('close() rejects pending commands and is idempotent', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    server.expect({ execute: 'query-migrate', mode: 'never' });
    const pending = client.execute('query-migrate');
    await server.waitForRequests(1);
    // Handle the rejection before closing: the test must not leave one unhandled either.
    const rejected = assert.rejects(pending, (err: unknown) => hasCode('VIRTMON_ERR_QMP_INTERRUPTED')(err)
      && /closed by virtmon \(while waiting for 'query-migrate'\)/.test((err as Error).message));
    await client.close();
    await client.close();
    await rejected;
  });

  test('a reply with an unknown id is logged and dropped; the connection stays usable', async (t) => {
    const log = recordingLogger();
    const { server, client } = await setup(t, {}, { logger: log });
    await client.connect();
    server.sendRaw('{"return": {}, "id": "bogus-1"}\r\n{"error": {"class": "GenericError", "desc": "JSON parse error"}}\r\n');
    server.expect({ execute: 'query-balloon', reply: { return: { actual: 67108864 } } });
    assert.equal((await client.execute('query-balloon')).actual, 67108864);
    const warns = log.lines.filter((e) => e.level === 'warn');
    assert.equal(warns.length, 2);
    assert.equal(warns[0]?.fields.id, 'bogus-1');
    assert.equal(warns[1]?.fields.errorClass, 'GenericError');
    assert.equal(client.counters.droppedReplies, 2);
  });

  test('garbage or an oversized message closes the connection as a protocol error', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    server.expect({ execute: 'query-status', mode: 'never' });
    const pending = client.execute('query-status');
    await server.waitForRequests(1);
    server.sendRaw('this is not json\r\n');
    await assert.rejects(pending, (err: unknown) => {
      hasCode('VIRTMON_ERR_QMP_INTERRUPTED')(err);
      const cause = (err as VirtmonError).cause as VirtmonError;
      assert.equal((cause.cause as VirtmonError).code, 'VIRTMON_ERR_QMP_PROTOCOL');
      return true;
    });

    const { server: big, client: small } = await setup(t, {}, { maxMessageBytes: 4096 });
    await small.connect();
    const closed = new Promise<VirtmonError>((resolve) => small.onClose(resolve));
    big.sendRaw(`{"return": "${'x'.repeat(5000)}`);
    const reason = await closed;
    assert.equal((reason.cause as VirtmonError).code, 'VIRTMON_ERR_QMP_PROTOCOL');
  });

  test('events: typed subscriptions, unsubscribe, throwing listeners, waitForEvent with predicate and deadline', async (t) => {
    const log = recordingLogger();
    const { server, client } = await setup(t, {}, { logger: log });
    await client.connect();
    const shutdowns: boolean[] = [];
    const unsubscribe = client.onEvent('SHUTDOWN', (ev) => shutdowns.push(ev.data.guest));
    client.onEvent('SHUTDOWN', () => {
      throw new Error('listener bug');
    });
    const anyNames: string[] = [];
    client.onAnyEvent((ev) => anyNames.push(ev.event));

    const reset = client.waitForEvent('RESET', (ev) => ev.data.reason === 'guest-reset', 5000);
    server.sendEvent('RESET', { guest: false, reason: 'host-qmp-system-reset' });
    server.sendEvent('SHUTDOWN', { guest: true, reason: 'guest-shutdown' });
    server.sendEvent('RESET', { guest: true, reason: 'guest-reset' });
    const got = await reset;
    assert.equal(got.data.guest, true);
    assert.deepEqual(shutdowns, [true]);
    assert.ok(log.lines.some((e) => e.level === 'warn' && e.message.includes('listener threw')));

    unsubscribe();
    unsubscribe();
    const stop = client.waitForEvent('STOP');
    server.sendEvent('SHUTDOWN', { guest: false, reason: 'host-signal' });
    server.sendEvent('STOP');
    assert.deepEqual((await stop).data, {});
    assert.deepEqual(shutdowns, [true]);
    assert.deepEqual(anyNames, ['RESET', 'SHUTDOWN', 'RESET', 'SHUTDOWN', 'STOP']);

    await assert.rejects(client.waitForEvent('WAKEUP', undefined, 30), hasCode('VIR_ERR_OPERATION_TIMEOUT'));
    const ac = new AbortController();
    const waiting = client.waitForEvent('SUSPEND', undefined, 5000, { signal: ac.signal });
    ac.abort();
    await assert.rejects(waiting, hasCode('VIR_ERR_OPERATION_ABORTED'));
  });

  test('commands before the connection is ready are refused, not queued', async (t) => {
    const { client } = await setup(t);
    await assert.rejects(client.execute('query-status'), hasCode('VIR_ERR_OPERATION_INVALID'));
    await client.connect();
    await assert.rejects(client.connect(), hasCode('VIR_ERR_OPERATION_INVALID'));
  });

  test('the fake server records an unexpected command or a wrong argument, and assertDone() fails', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    server.expect({ execute: 'query-status' }, { execute: 'balloon', arguments: { value: 1024 } });
    await assert.rejects(client.execute('query-block'), (err: unknown) => err instanceof VirtmonError && err.qmpClass === 'GenericError');
    assert.throws(() => server.assertDone(), /unexpected command 'query-block' \(expected 'query-status'\)/);
    await client.execute('query-status');
    await client.execute('balloon', { value: 2048 });
    assert.throws(() => server.assertDone(), /'balloon' arguments \{"value":2048\} != expected \{"value":1024\}/);
    server.failures.length = 0;
    server.expect({ execute: 'stop' });
    assert.throws(() => server.assertDone(), /expected but never received: stop/);
  });

  test('implements the collectors\' QmpExecutor contract', async (t) => {
    const { server, client } = await setup(t);
    await client.connect();
    const executor: QmpExecutor = client;
    server.expect({ execute: 'query-blockstats', reply: { return: [{ device: '', 'node-name': 'libvirt-1-format', stats: { wr_bytes: 4096 } }] } });
    const stats = await executor.execute<Array<{ stats: { wr_bytes: number } }>>('query-blockstats', undefined, { timeoutMs: 1000 });
    assert.equal(stats[0]?.stats.wr_bytes, 4096);
    server.assertDone();
  });
  test('the observer is told every command once: ok, error reply, timeout, interrupted; a throwing observer changes nothing', async (t) => {
    const seen: { command: string; seconds: number; outcome: QmpOutcome }[] = [];
    const { server, client } = await setup(t, {}, {
      commandTimeoutMs: 150,
      observer: (command, seconds, outcome) => { seen.push({ command, seconds, outcome }); },
    });
    await client.connect();
    server.expect(
      { execute: 'query-status', reply: { return: { status: 'running', running: true, singlestep: false } } },
      { execute: 'device_del', reply: { error: { class: 'DeviceNotFound', desc: "Device 'x' not found" } } },
      { execute: 'query-balloon', mode: 'never' },
      { execute: 'cont', mode: 'drop' },
    );
    await client.execute('query-status');
    await assert.rejects(client.execute('device_del', { id: 'x' }), hasCode('VIR_ERR_INTERNAL_ERROR'));
    await assert.rejects(client.execute('query-balloon'), hasCode('VIR_ERR_OPERATION_TIMEOUT'));
    await assert.rejects(client.execute('cont'), hasCode('VIRTMON_ERR_QMP_INTERRUPTED'));
    assert.deepEqual(seen.map((s) => [s.command, s.outcome]), [
      ['qmp_capabilities', 'ok'], ['query-status', 'ok'], ['device_del', 'error'], ['query-balloon', 'timeout'], ['cont', 'error'],
    ]);
    const balloon = seen.find((s) => s.command === 'query-balloon');
    assert.ok(balloon !== undefined && balloon.seconds >= 0.14 && balloon.seconds < 5, `timeout observed after ${balloon?.seconds} s`);

    const logs: RecordedLog[] = [];
    const { server: s2, client: c2 } = await setup(t, {}, { logger: recordingLogger(logs), observer: () => { throw new Error('observer bug'); } });
    await c2.connect();
    s2.expect({ execute: 'query-status', reply: { return: { status: 'running', running: true, singlestep: false } } });
    assert.equal((await c2.execute('query-status')).status, 'running');
    assert.ok(logs.some((l) => l.message === 'QMP observer threw'), 'the throwing observer was logged');
  });
});

after(async () => {
  // Let any stray rejection surface before checking.
  await sleep(20);
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'the QMP client left a promise rejection unhandled');
});
