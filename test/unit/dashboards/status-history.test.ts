/** The status page's ring and per-domain history: bounded, rates from successive samples, resets, removal. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ring, StatusHistory } from '../../../src/exporters/status/history.ts';
import { entry, runningFields } from '../../helpers/status-snapshot.ts';

test('Ring keeps the newest `capacity` items, oldest first', () => {
  const r = new Ring<number>(3);
  assert.deepEqual(r.toArray(), []);
  for (let i = 1; i <= 5; i++) r.push(i);
  assert.equal(r.size, 3);
  assert.deepEqual(r.toArray(), [3, 4, 5]);
  assert.equal(r.newest(), 5);
  assert.deepEqual(r.newestWhile((x) => x > 3), [4, 5]);
  assert.deepEqual(r.newestWhile(() => true), [3, 4, 5]);
  assert.equal(new Ring<number>(2).newest(), undefined);
  assert.throws(() => new Ring(0), RangeError);
});

test('rates come from two successive samples: CPU % of vCPUs, disk and network bytes/s', () => {
  const h = new StatusHistory(10);
  h.observe([entry('web', 10_000, runningFields(0))]);
  h.observe([entry('web', 12_000, runningFields(2))]);
  const [first, second] = h.points(entry('web', 0, {}).sample.uuid);
  assert.deepEqual(first, { t: 10_000, mem: 524288 * 1024 });
  // 1 s of CPU in 2 s over 2 vCPUs = 25 %; disk 2·12288 B / 2 s; net 2·1500 B / 2 s.
  assert.deepEqual(second, { t: 12_000, mem: 524288 * 1024, cpu: 25, disk: 12288, net: 1500 });
});

test('the same sample seen twice adds no point; a counter reset gives no rate; the ring stays bounded', () => {
  const h = new StatusHistory(4);
  const uuid = entry('web', 0, {}).sample.uuid;
  h.observe([entry('web', 1000, runningFields(10))]);
  h.observe([entry('web', 1000, runningFields(10))]);
  assert.equal(h.points(uuid).length, 1);
  h.observe([entry('web', 2000, runningFields(1))]);
  const reset = h.points(uuid).at(-1);
  assert.equal(reset?.cpu, undefined);
  assert.equal(reset?.disk, undefined);
  for (let i = 3; i < 20; i++) h.observe([entry('web', i * 1000, runningFields(i))]);
  assert.equal(h.points(uuid).length, 4);
  assert.deepEqual(h.points(uuid).map((p) => p.t), [16_000, 17_000, 18_000, 19_000]);
  assert.deepEqual(h.pointsAfter(uuid, 17_000).map((p) => p.t), [18_000, 19_000]);
  assert.equal(h.latest(uuid)?.t, 19_000);
});

test('an inactive domain has points without rates; domains that leave the snapshot are forgotten', () => {
  const h = new StatusHistory(4);
  h.observe([entry('web', 1000, runningFields(1)), entry('off', 1000, { 'state.state': 5 }, 5)]);
  h.observe([entry('web', 2000, runningFields(2)), entry('off', 2000, { 'state.state': 5 }, 5)]);
  assert.deepEqual(h.points(entry('off', 0, {}).sample.uuid).at(-1), { t: 2000 });
  assert.equal(h.domains, 2);
  h.observe([entry('off', 3000, { 'state.state': 5 }, 5)]);
  assert.equal(h.domains, 1);
  assert.deepEqual(h.points(entry('web', 0, {}).sample.uuid), []);
  assert.throws(() => new StatusHistory(0), /historySize/);
});
