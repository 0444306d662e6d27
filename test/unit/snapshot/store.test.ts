import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import type { SnapshotEntry } from '../../../src/snapshot/types.ts';
import { makeDef } from '../../helpers/domain-def.ts';

const entry = (uuid: string, time: number): SnapshotEntry => ({
  sample: { name: uuid, uuid, id: 1, active: true, state: 1, time, fields: new Map([['state.state', 1]]), flags: { timedOut: false, cached: false } },
  def: makeDef(uuid, uuid),
  persistent: true,
});

test('writes are staged until commit; commit bumps the version once and notifies', () => {
  const errors: unknown[] = [];
  const store = new SnapshotStore({ onSubscriberError: (e) => errors.push(e) });
  const seen: number[] = [];
  store.subscribe((v) => seen.push(v));
  store.subscribe(() => { throw new Error('bad listener'); });
  store.set(entry('a', 1));
  store.set(entry('b', 1));
  assert.equal(store.get('a'), undefined, 'not visible before commit');
  assert.equal(store.version, 0);
  assert.equal(store.commit(), true);
  assert.equal(store.version, 1);
  assert.deepEqual([...store.entries()].map((e) => e.sample.uuid), ['a', 'b']);
  assert.deepEqual(seen, [1]);
  assert.equal(errors.length, 1, 'a throwing subscriber is reported, the others still run');
  assert.equal(store.commit(), false, 'nothing staged: no bump');
  store.delete('a');
  store.setHealth({ ...store.health(), up: true, domainCount: 1 });
  assert.equal(store.health().up, false);
  store.commit();
  assert.equal(store.get('a'), undefined);
  assert.equal(store.health().up, true);
  assert.deepEqual(seen, [1, 2]);
});

test('unsubscribe stops notifications; cycle reports reach cycle listeners', () => {
  const store = new SnapshotStore();
  let n = 0;
  const off = store.subscribe(() => { n++; });
  store.set(entry('a', 1));
  store.commit();
  off();
  store.set(entry('a', 2));
  store.commit();
  assert.equal(n, 1);
  const reports: number[] = [];
  store.onCycle((r) => reports.push(r.domains));
  store.reportCycle({ startedAt: 0, durationSeconds: 0.01, domains: 3, timedOut: 0 });
  assert.deepEqual(reports, [3]);
});
