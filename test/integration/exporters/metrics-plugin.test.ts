/**
 * The /metrics plugin through fastify inject(): formats, gzip (two members, one stream), the per-version
 * cache, vanished domains, label escaping, never NaN, self metrics and errors by kind.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import type { DomainSample } from '../../../src/domain/sample.ts';
import { prometheusOptionsFromConfig } from '../../../src/exporters/prometheus/options.ts';
import { prometheusPlugin } from '../../../src/exporters/prometheus/plugin.ts';
import { registerSelfMetrics } from '../../../src/exporters/prometheus/self-metrics.ts';
import { INITIAL_HEALTH, SnapshotStore } from '../../../src/snapshot/store.ts';
import { config, goldenSnapshot, metricsApp } from '../../helpers/metrics-harness.ts';
import { activeSample, syntheticDef } from '../../helpers/catalog-sample.ts';

const { store, tc } = await goldenSnapshot();
const { app, cache } = await metricsApp(store, prometheusOptionsFromConfig(config()), { defaultMetrics: true });
after(async () => {
  await app.close();
  await tc.conn.close();
});

const OM = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

test('text 0.0.4 by default; domain series, then self and process metrics', async () => {
  const r = await app.inject({ url: '/metrics' });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.match(r.body, /^# HELP libvirt_up /);
  assert.match(r.body, /^libvirt_domain_info_cpu_time_seconds_total\{domain="vmt-running"\} \d/m);
  assert.match(r.body, /^virtmon_build_info\{version="0.1.0-test",node_version="v\d+/m);
  assert.match(r.body, /^process_cpu_user_seconds_total \d/m);
  assert.doesNotMatch(r.body, /# EOF/);
  assert.doesNotMatch(r.body, /\bNaN\b|[+-]Inf\b(?!")/);
});

test('OpenMetrics when asked: counter families without _total, samples with it, # EOF last', async () => {
  const r = await app.inject({ url: '/metrics', headers: { accept: OM } });
  assert.equal(r.headers['content-type'], 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  assert.match(r.body, /^# TYPE libvirt_domain_info_cpu_time_seconds counter\n/m);
  assert.match(r.body, /^libvirt_domain_info_cpu_time_seconds_total\{domain="vmt-running"\} /m);
  assert.match(r.body, /^# TYPE process_cpu_user_seconds counter\nprocess_cpu_user_seconds_total /m);
  assert.ok(r.body.endsWith('\n# EOF\n'));
  assert.equal(r.body.indexOf('# EOF'), r.body.length - 6);
});

test('gzip when asked: two gzip members that decode as one stream to the plain body', async () => {
  const plain = await app.inject({ url: '/metrics' });
  const r = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(r.headers.vary, 'accept, accept-encoding');
  const body = gunzipSync(r.rawPayload).toString('utf8');
  // The registry part (process metrics first) changes from scrape to scrape; the domain part must not.
  const domainPart = (s: string): string => s.slice(0, s.indexOf('# HELP process_cpu_user_seconds_total'));
  assert.ok(domainPart(body).length > 1000 && domainPart(body) === domainPart(plain.body), 'gunzipped domain part equals the plain one');
  assert.match(body, /^virtmon_scrape_duration_seconds_count \d+$/m);
  const none = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
  assert.equal(none.headers['content-encoding'], undefined);
});

test('one render per snapshot version, shared by formats and concurrent scrapes', async () => {
  await app.inject({ url: '/metrics' });
  const before = cache().stats.renders;
  await Promise.all([app.inject({ url: '/metrics' }), app.inject({ url: '/metrics', headers: { accept: OM } }), app.inject({ url: '/metrics' })]);
  assert.equal(cache().stats.renders, before, 'same version: served from cache');
  store.setHealth({ ...store.health() });
  store.commit();
  await Promise.all([app.inject({ url: '/metrics' }), app.inject({ url: '/metrics' })]);
  assert.equal(cache().stats.renders, before + 1, 'a new version renders once');
});

test('HEAD answers without a body', async () => {
  const r = await app.inject({ method: 'HEAD', url: '/metrics' });
  assert.equal(r.statusCode, 200);
  assert.equal(r.body, '');
});

/** A store of synthetic domains (every §10 field) for the edge cases. */
function syntheticStore(samples: Array<{ sample: DomainSample; def: ReturnType<typeof syntheticDef> }>): SnapshotStore {
  const s = new SnapshotStore();
  for (const x of samples) s.set({ sample: x.sample, def: x.def, persistent: true });
  s.setHealth({ ...INITIAL_HEALTH, up: true, domainCount: samples.length, errorsByKind: new Map([['timeout', 3], ['qmp', 1]]) });
  s.commit();
  return s;
}

test('vanished domains are gone on the next scrape; escaped label values; unusable values absent, never NaN', async () => {
  const odd = 'we"ird\\name\nx';
  const mk = (name: string, uuid: string) => {
    const shape = { name, uuid, vcpus: 1, disks: 1, nics: 1 };
    const def = syntheticDef(shape);
    return { sample: activeSample(def), def };
  };
  const a = mk(odd, '00000000-0000-4000-8000-00000000000a');
  const b = mk('plain', '00000000-0000-4000-8000-00000000000b');
  // balloon.available 0 makes used_percent uncomputable (inovex: NaN); a -1 and a NaN field are absent too.
  b.sample.fields.set('balloon.available', 0n);
  b.sample.fields.set('balloon.rss', -1);
  b.sample.fields.set('cpu.time', Number.NaN);
  const s = syntheticStore([a, b]);
  const { app: app2 } = await metricsApp(s, prometheusOptionsFromConfig(config()));
  try {
    const first = (await app2.inject({ url: '/metrics' })).body;
    assert.match(first, /^libvirt_domain_info_state\{domain="we\\"ird\\\\name\\nx",state_desc="the domain is running"\} 1$/m);
    assert.doesNotMatch(first, /NaN|Inf(?!")/);
    assert.doesNotMatch(first, /used_percent\{domain="plain"\}/);
    assert.doesNotMatch(first, /rss_bytes\{domain="plain"\}/);
    assert.doesNotMatch(first, /cpu_time_seconds_total\{domain="plain"\}/);
    assert.match(first, /^virtmon_errors_total\{kind="timeout"\} 3$/m);
    s.delete(a.sample.uuid);
    s.commit();
    const second = (await app2.inject({ url: '/metrics' })).body;
    assert.doesNotMatch(second, /we\\"ird/);
    assert.match(second, /domain="plain"/);
  } finally {
    await app2.close();
  }
});

test('a new version is pre-rendered in the last scraped format, so the next scrape renders nothing', async () => {
  await app.inject({ url: '/metrics', headers: { accept: OM, 'accept-encoding': 'gzip' } });
  const before = cache().stats.renders;
  store.setHealth({ ...store.health() });
  store.commit();
  for (let i = 0; i < 200 && cache().stats.renders === before; i++) await new Promise<void>((resolve) => { setTimeout(resolve, 5); });
  assert.equal(cache().stats.renders, before + 1, 'rendered without a scrape');
  const r = await app.inject({ url: '/metrics', headers: { accept: OM, 'accept-encoding': 'gzip' } });
  assert.equal(r.statusCode, 200);
  assert.equal(cache().stats.renders, before + 1, 'the scrape used the pre-render');
});

test('self metrics follow the snapshot health: collectors, skipped cycles and domain collections, cycle histogram', async () => {
  const def = syntheticDef({ name: 'skippy', uuid: '00000000-0000-4000-8000-0000000000cc', vcpus: 1, disks: 0, nics: 0 });
  const s = syntheticStore([{ sample: activeSample(def), def }]);
  s.setHealth({
    ...s.health(),
    collectors: [{ name: 'cpu', durationSeconds: 0.25, success: true, intervalMs: 10_000 }, { name: 'block', durationSeconds: 1.5, success: false, intervalMs: 20_000 }],
    cyclesSkipped: 2,
    domainSkips: new Map([[def.uuid, 4], ['no-such-uuid', 9]]),
  });
  s.commit();
  const registry = new Registry();
  const self = registerSelfMetrics(registry, s, { version: '9.9.9', defaultMetrics: false });
  self.onCycle({ startedAt: 0, durationSeconds: 0.3, domains: 1, timedOut: 0 });
  const app3 = Fastify();
  await app3.register(prometheusPlugin, { snapshot: s, registry, selfMetrics: self, options: prometheusOptionsFromConfig(config()) });
  try {
    const body = (await app3.inject({ url: '/metrics' })).body;
    for (const line of [
      'virtmon_build_info{version="9.9.9",node_version="' + process.version + '"} 1',
      'virtmon_collector_duration_seconds{collector="cpu"} 0.25',
      'virtmon_collector_duration_seconds{collector="block"} 1.5',
      'virtmon_collector_success{collector="cpu"} 1',
      'virtmon_collector_success{collector="block"} 0',
      'virtmon_collection_cycles_skipped_total 2',
      'virtmon_domain_collections_skipped_total{domain="skippy"} 4',
      'virtmon_collection_cycle_duration_seconds_bucket{le="0.5"} 1',
      'virtmon_collection_cycle_duration_seconds_count 1',
    ]) assert.ok(body.split('\n').includes(line), `missing: ${line}`);
    // A skip count of a domain no longer in the snapshot has no name to label it with.
    assert.doesNotMatch(body, /no-such-uuid/);
  } finally {
    await app3.close();
  }
});
