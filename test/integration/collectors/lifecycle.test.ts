/**
 * The scheduler on the test driver (test:///default, synthetic statistics): the first cycle fills the
 * snapshot; lifecycle events change it at once, long before the next cycle (the interval here is an
 * hour): a destroyed domain drops its counters, a started one appears with a full sample, a transient
 * one that stops disappears. The test driver's `test` domain starts running.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { enabledCollectors } from '../../../src/collectors/index.ts';
import { Scheduler } from '../../../src/collectors/scheduler.ts';
import { createSourceContext } from '../../../src/collectors/sources/context.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import type { SnapshotEntry } from '../../../src/snapshot/types.ts';
import { openTest, type TestConn } from '../../helpers/test-driver.ts';
import { fixture } from '../../helpers/stats-fixture.ts';

let tc: TestConn;
let store: SnapshotStore;
let scheduler: Scheduler;

before(async () => {
  tc = await openTest('default');
  store = new SnapshotStore();
  const conn = tc.conn;
  scheduler = new Scheduler({
    source: { list: () => conn.statsTargets(), onEvent: (l) => conn.onDomainEvent(l) },
    store,
    sources: createSourceContext({ proc: fixture('proc'), sys: fixture('sys'), cgroup: fixture('cgroup-v1') }),
    collectors: enabledCollectors(),
    intervalMs: 3_600_000,
    domainTimeoutMs: 2000,
  });
  await scheduler.start();
});

after(async () => {
  await scheduler.stop();
  await tc.conn.close();
});

/** Waits (bounded by count of changes, not time) until `probe` holds after a snapshot change. */
async function until(what: string, probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) {
    await new Promise<void>((resolve) => {
      const off = store.subscribe(() => { off(); resolve(); });
      setTimeout(() => { off(); resolve(); }, 50); // not unref'd: the scheduler's timers are, and something must keep the loop alive
    });
  }
  assert.ok(probe(), `${what} never happened`);
}

const byName = (name: string): SnapshotEntry | undefined => [...store.entries()].find((e) => e.sample.name === name);

const XML = (name: string): string => `<domain type='test'><name>${name}</name><memory unit='MiB'>256</memory><vcpu>2</vcpu>`
  + `<os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/var/lib/vmt/${name}.img'/><target dev='vda'/></disk>`
  + `<interface type='ethernet'><target dev='vmt${name}'/></interface></devices></domain>`;

test('the first cycle samples the running domain with every group of the test driver', async () => {
  await until('a full sample of `test`', () => byName('test')?.sample.fields.has('cpu.time') === true);
  const s = byName('test')?.sample;
  assert.ok(s !== undefined);
  for (const f of ['state.state', 'cpu.time', 'balloon.current', 'vcpu.current', 'net.count', 'block.count']) assert.ok(s.fields.has(f), f);
  assert.equal(s.flags.timedOut, false);
  assert.equal(store.health().up, true);
  assert.equal(store.health().domainCount, 1);
});

test('destroy: the entry turns shut off with state.* only, without waiting for a cycle', async () => {
  const dom = await tc.conn.lookupByName('test');
  const before = store.version;
  await tc.conn.destroy(dom);
  await until('test shut off', () => byName('test')?.sample.state === 5);
  assert.ok(store.version > before);
  assert.deepEqual([...(byName('test')?.sample.fields.keys() ?? [])], ['state.state', 'state.reason']);
  assert.equal(byName('test')?.sample.active, false);
});

test('a defined and started domain appears with a full sample at once', async () => {
  const dom = await tc.conn.defineXML(XML('vmtnew'));
  await until('vmtnew listed', () => byName('vmtnew') !== undefined);
  assert.equal(byName('vmtnew')?.sample.state, 5);
  await tc.conn.create(dom);
  await until('vmtnew sampled', () => byName('vmtnew')?.sample.fields.has('cpu.time') === true);
  assert.equal(byName('vmtnew')?.sample.fields.get('net.0.name'), 'vmtvmtnew');
  assert.equal(store.health().domainCount, 2);
});

test('a transient domain disappears when it stops', async () => {
  const dom = await tc.conn.createXML(XML('vmttransient'));
  await until('vmttransient sampled', () => byName('vmttransient')?.sample.fields.has('cpu.time') === true);
  await tc.conn.destroy(dom);
  await until('vmttransient gone', () => byName('vmttransient') === undefined);
  assert.equal(store.get(dom.uuid), undefined);
});
