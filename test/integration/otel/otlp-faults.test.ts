/**
 * A collector that is down, slow, or answers 503 with Retry-After (issue 7 must-show): sampling goes on
 * (snapshot versions advance on the test driver while exports fail), the SDK's reader never stacks
 * exports, Retry-After is honoured, export resumes when the receiver is back, one log line on the first
 * failure and one on recovery, and heap and exporter state stay flat over hundreds of short intervals.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import { connectionSource, createCollection, type Collection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { recordingLogger, silentLogger, type RecordedLog } from '../../../src/domain/logger.ts';
import { createOtelExporter, type OtelExporter, type OtelExporterOptions } from '../../../src/exporters/otel/exporter.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver.ts';
import { fixture } from '../../helpers/stats-fixture.ts';
import { openTest, type TestConn } from '../../helpers/test-driver.ts';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const catalog = resolveCatalogOptions();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 20 ms; fails with `what` after `limitMs`. */
async function until(cond: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('OTLP export faults while a collection samples the test driver every 100 ms', () => {
  let receiver: OtlpReceiver;
  let tc: TestConn;
  let collection: Collection;
  const running: OtelExporter[] = [];

  before(async () => {
    receiver = await startOtlpReceiver();
    const config = parseConfigText(`uri: test:///default
paths: { proc: ${fixture('proc')}, sys: ${fixture('sys')}, cgroup: ${fixture('cgroup-v1')} }
collection: { interval: 100ms, domainTimeout: 1s }
`, 'virtmon.yaml');
    tc = await openTest('all-states.xml');
    collection = createCollection({ config, source: connectionSource(tc.conn), logger: silentLogger() });
    await collection.start();
    await until(() => collection.snapshot.version > 0, 'the first cycle');
  });

  after(async () => {
    for (const e of running) await e.stop();
    await collection.stop();
    await receiver.close();
    await tc.conn.close();
  });

  const exporter = (block: Omit<OtelExporterOptions['block'], 'enabled'>, lines: RecordedLog[] = []): OtelExporter => {
    const e = createOtelExporter({
      block: { enabled: true, endpoint: receiver.httpUrl, ...block }, env: {}, collectionIntervalMs: 100,
      snapshot: collection.snapshot, catalog, logger: recordingLogger(lines), version: 't',
    });
    running.push(e);
    return e;
  };
  const logged = (lines: RecordedLog[], text: string): number => lines.filter((l) => l.message.includes(text)).length;

  test('receiver down: exports fail, sampling goes on, one warning; back up: export resumes, one recovery line', async () => {
    await receiver.down();
    const lines: RecordedLog[] = [];
    // Timeouts generous enough that a loaded machine does not turn a healthy export into a failure.
    const e = exporter({ intervalMs: 400, timeoutMs: 400 }, lines);
    const v0 = collection.snapshot.version;
    await e.start();
    await until(() => e.exports().failed >= 5, '5 failed exports');
    assert.ok(collection.snapshot.version >= v0 + 3, `snapshot advanced ${collection.snapshot.version - v0} versions during 5 failed exports`);
    assert.equal(e.exports().ok, 0);
    assert.equal(logged(lines, 'OTLP export failed'), 1);
    await receiver.up();
    const got = receiver.received.length;
    await until(() => e.exports().ok >= 2 && receiver.received.length > got, 'exports after the receiver came back');
    assert.equal(logged(lines, 'OTLP export failed'), 1);
    assert.equal(logged(lines, 'OTLP export recovered'), 1);
    // The exports counter that arrives carries the failures.
    const last = receiver.received[receiver.received.length - 1];
    const failed = last?.points.find((p) => p.metric === 'virtmon.otlp.exports' && p.attributes['virtmon.otlp.export.result'] === 'failed');
    assert.ok(failed !== undefined && failed.value >= 5);
    await e.stop();
  });

  test('receiver slower than the timeout: exports fail at the deadline, never stack, sampling goes on; resumes when fast', async () => {
    receiver.mode = { kind: 'slow', delayMs: 1500 };
    const e = exporter({ intervalMs: 200, timeoutMs: 150 });
    const v0 = collection.snapshot.version;
    const attempts0 = receiver.attempts.length;
    await e.start();
    await until(() => e.exports().failed >= 4, '4 timed-out exports');
    assert.ok(collection.snapshot.version >= v0 + 4);
    // Requests are abandoned at the timeout, never piled up at the collector.
    assert.ok(receiver.attempts.length - attempts0 >= 4);
    assert.ok(receiver.maxInFlight <= 3, `receiver saw ${receiver.maxInFlight} concurrent requests`);
    receiver.mode = { kind: 'ok' };
    const got = receiver.received.length;
    await until(() => receiver.received.length > got + 1, 'exports after the receiver got fast');
    await e.stop();
  });

  test('503 with Retry-After: the retry waits as told and succeeds without a failed export', async () => {
    const e = exporter({ intervalMs: 3_600_000, timeoutMs: 5_000 });
    await e.start();
    // One 503, then the receiver is fine again (it switches itself, so no race with the retry timer).
    receiver.mode = { kind: 'unavailable', retryAfterSeconds: 1, times: 1 };
    const a0 = receiver.attempts.length;
    await e.flush();
    const [first, second] = receiver.attempts.slice(a0);
    assert.equal(first?.answered, '503');
    assert.equal(second?.answered, 'ok');
    assert.ok(second.at - first.at >= 900, `retried after ${second.at - first.at} ms, Retry-After said 1 s`);
    assert.deepEqual([e.exports().ok, e.exports().failed], [1, 0]);
  });

  test('503 until the deadline: the export fails once (retries inside the timeout), sampling goes on', async () => {
    const lines: RecordedLog[] = [];
    const e = exporter({ intervalMs: 3_600_000, timeoutMs: 4_000 }, lines);
    await e.start();
    receiver.mode = { kind: 'unavailable', retryAfterSeconds: 1 };
    const a0 = receiver.attempts.length;
    const v0 = collection.snapshot.version;
    await e.flush();
    const tries = receiver.attempts.slice(a0);
    assert.ok(tries.length >= 2 && tries.every((a) => a.answered === '503'), `attempts: ${JSON.stringify(tries)}`);
    assert.deepEqual([e.exports().ok, e.exports().failed], [0, 1]);
    assert.ok(collection.snapshot.version > v0 + 5, 'sampling went on during the retries');
    assert.equal(logged(lines, 'OTLP export failed'), 1);
    receiver.mode = { kind: 'ok' };
    await e.flush();
    assert.equal(e.exports().ok, 1);
    assert.equal(logged(lines, 'OTLP export recovered'), 1);
  });

  test('gRPC collector unreachable: exports fail at once, are counted, one warning; sampling goes on', async () => {
    // A port nothing listens on: bind one, note it, close it.
    const probe = createServer();
    await new Promise<void>((resolve) => { probe.listen(0, '127.0.0.1', resolve); });
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => { probe.close(() => { resolve(); }); });
    const lines: RecordedLog[] = [];
    const e = exporter({ protocol: 'grpc', endpoint: `http://127.0.0.1:${port}`, intervalMs: 150, timeoutMs: 100 }, lines);
    const v0 = collection.snapshot.version;
    await e.start();
    await until(() => e.exports().failed >= 3, '3 failed gRPC exports');
    assert.ok(collection.snapshot.version >= v0 + 2);
    assert.equal(e.exports().ok, 0);
    assert.equal(logged(lines, 'OTLP export failed'), 1);
    await e.stop();
  });

  test('heap and exporter state stay flat over hundreds of 20 ms intervals, receiver down, then up', async () => {
    const heap = (): number => { gc(); gc(); return process.memoryUsage().heapUsed; };
    receiver.keep = 1;
    const e = exporter({ intervalMs: 20, timeoutMs: 20 });
    await receiver.down();
    await e.start();
    await until(() => e.exports().collections >= 50, '50 collections');
    const warm = heap();
    const tracked = e.exports().trackedSeries;
    await until(() => e.exports().collections >= 300, '300 collections, receiver down');
    const afterDown = heap();
    await receiver.up();
    const ok0 = receiver.okCount;
    await until(() => receiver.okCount >= ok0 + 30, '30 exports received');
    const warmUp = heap();
    await until(() => receiver.okCount >= ok0 + 250, '250 exports received');
    const end = heap();
    assert.ok(e.exports().trackedSeries <= tracked, `tracked series ${tracked} → ${e.exports().trackedSeries}`);
    assert.ok(afterDown - warm < 4 * 1024 * 1024, `heap grew by ${afterDown - warm} bytes over 250 failed intervals`);
    assert.ok(end - warmUp < 4 * 1024 * 1024, `heap grew by ${end - warmUp} bytes over 220 exported intervals`);
    await e.stop();
  });
});
