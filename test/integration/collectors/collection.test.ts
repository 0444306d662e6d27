/**
 * createCollection from a parsed virtmon.yaml on the test driver: enabled collectors, the domain
 * filter, per-collector lanes, and latest() serving the snapshot (the control API's stats provider).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionSource, createCollection, reservedCollectorsEnabled, type Collection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { recordingLogger, silentLogger } from '../../../src/domain/logger.ts';
import { fixture } from '../../helpers/stats-fixture.ts';
import { openTest, type TestConn } from '../../helpers/test-driver.ts';

const opened: Array<{ c: Collection; tc: TestConn }> = [];
after(async () => {
  for (const { c, tc } of opened) {
    await c.stop();
    await tc.conn.close();
  }
});

const yaml = (extra: string): string => `uri: test:///default
paths: { proc: ${fixture('proc')}, sys: ${fixture('sys')}, cgroup: ${fixture('cgroup-v1')} }
collection: { interval: 1h, domainTimeout: 2s }
${extra}`;

async function start(extra: string): Promise<Collection> {
  const config = parseConfigText(yaml(extra), 'virtmon.yaml');
  const tc = await openTest('all-states.xml');
  const c = createCollection({ config, source: connectionSource(tc.conn), logger: silentLogger() });
  opened.push({ c, tc });
  await c.start();
  // The first cycle starts at once; wait for it through the snapshot (bounded by changes, not time).
  for (let i = 0; i < 100 && !c.latest().some((s) => s.fields.has('state.state') && (!s.active || s.fields.size > 2)); i++) {
    await new Promise<void>((resolve) => { setTimeout(resolve, 20); });
  }
  return c;
}

test('every domain of the connection; a disabled collector leaves its group out; latest() is the snapshot', async () => {
  const c = await start('collectors: { block: { enabled: false }, cpu: { interval: 30m } }');
  assert.deepEqual(c.scheduler.laneIds, ['base', 'collector:cpu']);
  const samples = c.latest();
  assert.ok(samples.length > 1);
  assert.equal(c.store.health().domainCount, samples.length);
  const running = samples.find((s) => s.active && s.state === 1);
  assert.ok(running !== undefined);
  const fresh = c.latest().find((s) => s.uuid === running.uuid);
  assert.ok(fresh?.fields.has('balloon.current'));
  assert.equal([...(fresh?.fields.keys() ?? [])].some((k) => k.startsWith('block.')), false);
});

test('domains.includeInactive: false samples only active domains (libvirt_domains still counts all)', async () => {
  const c = await start('domains: { includeInactive: false }');
  const samples = c.latest();
  assert.ok(samples.length > 0);
  assert.ok(samples.every((s) => s.active));
  assert.ok(c.store.health().domainCount > samples.length);
});

test('enabling a reserved collector (job, storage_pool: no source yet) is said at build time, not silently ignored', async () => {
  const config = parseConfigText(yaml('collectors: { job: { enabled: true }, storage_pool: { enabled: false }, cpu: { enabled: true } }'), 'virtmon.yaml');
  assert.deepEqual(reservedCollectorsEnabled(config.collectors), ['job']);
  const logger = recordingLogger();
  const tc = await openTest('default');
  const c = createCollection({ config, source: connectionSource(tc.conn), logger });
  opened.push({ c, tc });
  const warned = logger.lines.filter((l) => l.level === 'warn');
  assert.deepEqual(warned.map((l) => l.fields['collector']), ['job']);
  assert.match(warned[0]?.message ?? '', /collectors\.job is enabled but has no source/);
});
