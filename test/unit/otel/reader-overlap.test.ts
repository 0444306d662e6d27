/**
 * What keeps a slow collector from stacking exports, verified on the SDK pieces the exporter uses (with
 * a held fake exporter, on mocked timers): the PeriodicExportingMetricReader skips a tick while its export
 * is in flight and gives up on it at the timeout, so a never-answering collector costs one export attempt
 * per two intervals; the counting wrapper logs the first failure once and the recovery once.
 */
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import { recordingLogger } from '../../../src/domain/logger.ts';
import { createSnapshotProducer } from '../../../src/exporters/otel/producer.ts';
import { buildResource } from '../../../src/exporters/otel/resource.ts';
import { countingExporter, type ExportCounts } from '../../../src/exporters/otel/transport.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { activeSample, syntheticDef } from '../../helpers/catalog-sample.ts';
import { settle } from '../../helpers/manual-timers.ts';

test('a held export: the reader skips the next tick, times out, and starts one new export per two intervals', async (t) => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  t.after(() => { mock.timers.reset(); });
  const store = new SnapshotStore();
  const def = syntheticDef({ vcpus: 1, disks: 1, nics: 1 });
  store.set({ sample: activeSample(def), def, persistent: true });
  store.commit();
  const pending: ((r: ExportResult) => void)[] = [];
  const fake: PushMetricExporter = {
    export: (_m: ResourceMetrics, done: (r: ExportResult) => void) => { pending.push(done); },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const counts: ExportCounts = { ok: 0, failed: 0, lastError: undefined };
  const log = recordingLogger();
  const resource = buildResource('t', {}, { hostname: 'h', machineIdPath: '/nonexistent' });
  const producer = createSnapshotProducer({
    snapshot: store, catalog: resolveCatalogOptions(), temporality: 'cumulative', version: 't', counts, now: () => 0, resource,
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: countingExporter(fake, counts, log, 'http://x'), exportIntervalMillis: 100, exportTimeoutMillis: 100, metricProducers: [producer],
  });
  const provider = new MeterProvider({ resource, readers: [reader] });
  const at = async (ms: number): Promise<void> => { mock.timers.tick(ms); await settle(); };

  await at(100);
  assert.equal(pending.length, 1, 'first tick exports');
  await at(100);
  assert.equal(pending.length, 1, 'second tick skipped: the first export is still in flight (then it timed out)');
  await at(100);
  assert.equal(pending.length, 2, 'third tick exports again');
  await at(100);
  assert.equal(pending.length, 2);
  assert.equal(producer.collections, 2, 'a skipped tick does not even read the snapshot');

  // The held exports end (as the OTLP transport ends them at its own timeout): counted, logged once.
  for (const done of pending.splice(0)) done({ code: ExportResultCode.FAILED, error: new Error('Request Timeout') });
  assert.deepEqual([counts.ok, counts.failed, counts.lastError], [0, 2, 'Request Timeout']);
  await at(100);
  pending.splice(0).forEach((done) => { done({ code: ExportResultCode.SUCCESS }); });
  assert.deepEqual([counts.ok, counts.failed, counts.lastError], [1, 2, undefined]);
  assert.deepEqual(log.lines.map((l) => `${l.level} ${l.message}`), [
    'warn OTLP export failed; retrying every interval, logging again on recovery',
    'info OTLP export recovered',
  ]);
  const closing = provider.shutdown();
  await settle();
  pending.splice(0).forEach((done) => { done({ code: ExportResultCode.SUCCESS }); });
  await closing;
});
