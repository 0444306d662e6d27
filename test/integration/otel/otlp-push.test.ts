/**
 * OTLP push on the test driver (issue 7 must-show): a collection on `test:///` fills the snapshot, the
 * exporter pushes it over HTTP/protobuf, HTTP/JSON and gRPC to a receiver that decodes with the official
 * opentelemetry-proto schema, and every point agrees with the catalog's evaluation of the same snapshot
 * version (what /metrics renders): name, unit, type, temporality, attributes, value. A synthetic snapshot
 * with every field of metrics.md §10 shows every domain instrument of the catalog arrives.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { writeFileSync } from 'node:fs';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import { CATALOG } from '../../../src/catalog/metrics.ts';
import { connectionSource, createCollection, type Collection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { createOtelExporter, type OtelExporter } from '../../../src/exporters/otel/exporter.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { activeSample, inactiveSample, syntheticDef } from '../../helpers/catalog-sample.ts';
import { assertPointsMatch, expectedPoints } from '../../helpers/otel-expect.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver.ts';
import { fixture } from '../../helpers/stats-fixture.ts';
import { openTest, tempDir, type TestConn } from '../../helpers/test-driver.ts';

const catalog = resolveCatalogOptions();
const tmp = tempDir();
const machineIdPath = `${tmp.dir}/machine-id`;
writeFileSync(machineIdPath, '0123456789abcdef0123456789ABCDEF\n');

describe('OTLP push from a collection on the test driver', () => {
  let receiver: OtlpReceiver;
  let tc: TestConn;
  let collection: Collection;
  const exporters: OtelExporter[] = [];

  before(async () => {
    receiver = await startOtlpReceiver();
    const config = parseConfigText(`uri: test:///default
paths: { proc: ${fixture('proc')}, sys: ${fixture('sys')}, cgroup: ${fixture('cgroup-v1')} }
collection: { interval: 1h, domainTimeout: 2s }
otel: { enabled: true, interval: 1h, headers: { x-tenant: blue } }
`, 'virtmon.yaml');
    tc = await openTest('all-states.xml');
    collection = createCollection({ config, source: connectionSource(tc.conn), logger: silentLogger() });
    await collection.start();
    for (let i = 0; i < 200 && collection.snapshot.version === 0; i++) await new Promise((r) => setTimeout(r, 20));
    // Freeze the snapshot: the pushes and the expectation then read the same version.
    await collection.stop();
    assert.ok(collection.snapshot.version > 0);
  });

  after(async () => {
    for (const e of exporters) await e.stop();
    await receiver.close();
    await tc.conn.close();
    tmp.cleanup();
  });

  for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
    test(`${protocol}: every point of the snapshot with /metrics' values, resource and headers`, async () => {
      const config = parseConfigText(`otel: { enabled: true, protocol: ${protocol}, endpoint: "${protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl}", interval: 1h, headers: { x-tenant: blue } }\n`, 'v.yaml');
      const exporter = createOtelExporter({
        block: config.otel, env: {}, collectionIntervalMs: 3_600_000, snapshot: collection.snapshot, catalog,
        logger: silentLogger(), version: '9.9.9-test', host: { machineIdPath },
      });
      exporters.push(exporter);
      const before = receiver.received.length;
      await exporter.start();
      await exporter.flush();
      await receiver.waitForRequests(before);
      const req = receiver.received[receiver.received.length - 1];
      assert.ok(req !== undefined);
      assert.equal(req.transport, protocol);
      assert.equal(exporter.exports().lastSnapshotVersion, collection.snapshot.version);
      assert.deepEqual(req.resource, {
        'service.name': 'virtmon', 'service.version': '9.9.9-test', 'service.instance.id': '0123456789abcdef0123456789abcdef',
        'host.name': hostname(), 'host.id': '0123456789abcdef0123456789abcdef',
      });
      assert.deepEqual(req.scopes, ['virtmon']);
      assert.equal(req.headers['x-tenant'], 'blue');
      const expected = expectedPoints(collection.snapshot, catalog);
      assertPointsMatch(req, expected);
      // Every domain instrument of the catalog but those whose fields the test driver does not sample
      // (job and cgroup; the synthetic snapshot below has them).
      const got = new Set(req.points.map((p) => p.metric));
      const lacking = CATALOG.flatMap((m) => (m.otel !== undefined && m.domains !== 'host' && !got.has(m.otel.name) ? [m.otel.name] : []));
      assert.deepEqual([...new Set(lacking)].filter((n) => !/^libvirt\.domain\.(job|cgroup)\./.test(n)), []);
      // Inactive domains carry state and timed_out only (D7), with identity attributes.
      const names = new Set(expected.map((p) => p.attributes['libvirt.domain.name']));
      assert.ok(names.size >= 3, `domains: ${[...names].join(', ')}`);
      const collectors = req.points.filter((p) => p.metric === 'virtmon.collector.success');
      assert.ok(collectors.length > 0);
      assert.ok(collectors.every((p) => p.kind === 'gauge' && typeof p.attributes['virtmon.collector.name'] === 'string'));
      await exporter.stop();
      assert.equal(exporter.exports().failed, 0);
    });
  }
});

test('a snapshot with every field: every domain instrument of the catalog arrives; delta temporality', async (t) => {
  const receiver = await startOtlpReceiver();
  const store = new SnapshotStore();
  const def = syntheticDef({ name: 'vmt-all', vcpus: 2, disks: 2, nics: 2 });
  const off = syntheticDef({ name: 'vmt-off', uuid: '99999999-2222-3333-4444-555555555555', vcpus: 1, disks: 1, nics: 1 });
  store.set({ sample: activeSample(def, 1n), def, persistent: true });
  store.set({ sample: inactiveSample(off), def: off, persistent: true });
  store.commit();
  let now = 1_700_000_000_000;
  const exporter = createOtelExporter({
    block: { enabled: true, endpoint: receiver.httpUrl, intervalMs: 3_600_000, temporality: 'delta' }, env: {},
    collectionIntervalMs: 10_000, snapshot: store, catalog, logger: silentLogger(), version: '1', now: () => now,
  });
  // Exporter first: its final export on stop must still find the receiver.
  t.after(async () => { await exporter.stop(); await receiver.close(); });
  await exporter.start();
  now += 10_000;
  await exporter.flush();
  await receiver.waitForRequests(0);
  const first = receiver.received[0];
  assert.ok(first !== undefined);
  const expected = expectedPoints(store, catalog);
  assertPointsMatch(first, expected, 1);
  const wanted = new Set(CATALOG.flatMap((m) => (m.otel !== undefined && m.domains !== 'host' ? [m.otel.name] : [])));
  const got = new Set(first.points.map((p) => p.metric));
  assert.deepEqual([...wanted].filter((n) => !got.has(n)), []);
  // Second cycle: counters grew by one seed step; the delta is the growth over [previous export, now].
  store.set({ sample: activeSample(def, 2n), def, persistent: true });
  store.commit();
  now += 10_000;
  await exporter.flush();
  await receiver.waitForRequests(1);
  const second = receiver.received[1];
  assert.ok(second !== undefined);
  const cpu = (r: typeof second) => r.points.find((p) => p.metric === 'libvirt.domain.cpu.time' && p.attributes['libvirt.domain.name'] === 'vmt-all');
  const c1 = cpu(first);
  const c2 = cpu(second);
  assert.ok(c1 !== undefined && c2 !== undefined);
  assert.equal(c2.temporality, 1);
  assert.ok(Math.abs(c2.value - 123.456789012) < 1e-9, `delta ${c2.value}`);
  assert.equal(c2.startNs, c1.endNs);
  const exportsPoint = second.points.find((p) => p.metric === 'virtmon.otlp.exports' && p.attributes['virtmon.otlp.export.result'] === 'ok');
  assert.equal(exportsPoint?.unit, '{export}');
  assert.equal(exportsPoint?.monotonic, true);
});

test('cumulative: a counter that goes down (domain restart) is exported as a reset with a later start time', async (t) => {
  const receiver = await startOtlpReceiver();
  const store = new SnapshotStore();
  const def = syntheticDef({ name: 'vmt-reset', vcpus: 1, disks: 1, nics: 1 });
  store.set({ sample: activeSample(def, 3n), def, persistent: true });
  store.commit();
  let now = 1_700_000_000_000;
  const exporter = createOtelExporter({
    block: { enabled: true, endpoint: receiver.httpUrl, intervalMs: 3_600_000, compression: 'gzip' }, env: {},
    collectionIntervalMs: 10_000, snapshot: store, catalog, logger: silentLogger(), version: '1', now: () => now,
  });
  t.after(async () => { await exporter.stop(); await receiver.close(); });
  await exporter.start();
  const push = async (): Promise<NonNullable<(typeof receiver.received)[number]>> => {
    now += 10_000;
    const n = receiver.received.length;
    await exporter.flush();
    await receiver.waitForRequests(n);
    const r = receiver.received[n];
    assert.ok(r !== undefined);
    return r;
  };
  const cpu = (r: Awaited<ReturnType<typeof push>>) => {
    const p = r.points.find((x) => x.metric === 'libvirt.domain.cpu.time');
    assert.ok(p !== undefined);
    return p;
  };
  const a = cpu(await push());
  const b = cpu(await push());
  assert.equal(b.startNs, a.startNs, 'same series, same start');
  // The domain restarted: its counters start again from a lower value.
  store.set({ sample: activeSample(def, 1n), def, persistent: true });
  store.commit();
  const r3 = await push();
  const c = cpu(r3);
  assert.equal(c.temporality, 2);
  assert.ok(c.value < b.value);
  assert.ok(c.startNs > b.startNs && c.startNs <= c.endNs, 'a reset starts a new cumulative interval');
  assert.equal(c.startNs, b.endNs);
  assertPointsMatch(r3, expectedPoints(store, catalog));
  assert.equal(r3.headers['content-encoding'], 'gzip');
});

test('endpoint and protocol from OTEL_* variables when the config has none; metadata attributes on request', async (t) => {
  const receiver = await startOtlpReceiver();
  const APP = 'http://example.org/app/1';
  const store = new SnapshotStore();
  const def = syntheticDef({ name: 'vmt-meta', vcpus: 1, disks: 0, nics: 0 });
  const withApp = { ...def, metadata: [...def.metadata, { name: 'a:app', attrs: { 'xmlns:a': APP }, children: [{ name: 'a:team', attrs: {}, children: ['payments'] }] }] };
  store.set({ sample: activeSample(withApp), def: withApp, persistent: true });
  store.commit();
  const metaCatalog = resolveCatalogOptions({ metadataLabels: [{ label: 'team', namespace: APP, xpath: 'app/team' }, { label: 'tier', namespace: APP, xpath: 'app/tier' }] });
  const exporter = createOtelExporter({
    block: { enabled: true, metadataAttributes: true },
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl, OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=green' },
    collectionIntervalMs: 10_000, snapshot: store, catalog: metaCatalog, logger: silentLogger(), version: '1',
  });
  t.after(async () => { await exporter.stop(); await receiver.close(); });
  assert.equal(exporter.settings?.intervalMs, 10_000, 'default export interval = collection interval');
  await exporter.start();
  await exporter.flush();
  await receiver.waitForRequests(0);
  const r = receiver.received[0];
  assert.ok(r !== undefined);
  assert.equal(r.transport, 'grpc');
  assert.equal(r.headers['x-tenant'], 'green');
  const domainPoints = r.points.filter((p) => p.attributes['libvirt.domain.uuid'] !== undefined);
  assert.ok(domainPoints.length > 10);
  for (const p of domainPoints) {
    assert.equal(p.attributes['libvirt.domain.metadata.team'], 'payments', p.metric);
    assert.equal(p.attributes['libvirt.domain.metadata.tier'], '', p.metric);
  }
});
