/** The snapshot producer on its own: one broken entry costs only itself; what a collection holds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import type { DomainDef } from '../../../src/domain/def.ts';
import { createSnapshotProducer } from '../../../src/exporters/otel/producer.ts';
import { buildResource } from '../../../src/exporters/otel/resource.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { activeSample, syntheticDef } from '../../helpers/catalog-sample.ts';

test('a domain the catalog cannot plan is reported as an error; the other domains are exported', async () => {
  const store = new SnapshotStore();
  const good = syntheticDef({ name: 'vmt-good', vcpus: 1, disks: 1, nics: 1 });
  const bad = syntheticDef({ name: 'vmt-bad', uuid: '99999999-0000-0000-0000-000000000000', vcpus: 1, disks: 1, nics: 1 });
  store.set({ sample: activeSample(good), def: good, persistent: true });
  // A definition without devices: buildPlan throws on it.
  store.set({ sample: activeSample(bad), def: { ...bad, devices: undefined } as unknown as DomainDef, persistent: true });
  store.commit();
  const seen: unknown[] = [];
  const producer = createSnapshotProducer({
    snapshot: store, catalog: resolveCatalogOptions(), temporality: 'cumulative', version: 't',
    counts: { ok: 3, failed: 1, lastError: undefined }, now: () => 1_700_000_000_000,
    resource: buildResource('t', {}, { hostname: 'h', machineIdPath: '/nonexistent' }), onError: (e) => seen.push(e),
  });
  const { resourceMetrics, errors } = await producer.collect();
  assert.equal(errors.length, 1);
  assert.equal(seen.length, 1);
  const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  const names = new Set(metrics.flatMap((m) => m.dataPoints.map((p) => String(p.attributes['libvirt.domain.name']))));
  assert.deepEqual([...names].filter((n) => n !== 'undefined'), ['vmt-good']);
  const exportsMetric = metrics.find((m) => m.descriptor.name === 'virtmon.otlp.exports');
  assert.equal(exportsMetric?.dataPointType, DataPointType.SUM);
  assert.deepEqual(exportsMetric?.dataPoints.map((p) => [p.attributes['virtmon.otlp.export.result'], p.value]), [['ok', 3], ['failed', 1]]);
  assert.equal(producer.lastVersion, store.version);
});
