/** Start times and temporality of sums: resets, deltas, and forgetting series that left the snapshot. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SumState } from '../../../src/exporters/otel/sum-state.ts';

test('cumulative: start fixed at first sight; a counter that goes down is a reset with a new start', () => {
  const s = new SumState('cumulative', 1000);
  s.begin(2000);
  assert.deepEqual(s.point('a', 10, true), { startMs: 1000, value: 10 });
  s.end();
  s.begin(3000);
  assert.deepEqual(s.point('a', 15, true), { startMs: 1000, value: 15 });
  // A series first seen later started at the latest at the previous collection.
  assert.deepEqual(s.point('b', 7, true), { startMs: 2000, value: 7 });
  s.end();
  s.begin(4000);
  assert.deepEqual(s.point('a', 3, true), { startMs: 3000, value: 3 }, 'reset');
  // An UpDownCounter going down is not a reset.
  assert.deepEqual(s.point('b', 2, false), { startMs: 2000, value: 2 });
  s.end();
  s.begin(5000);
  assert.deepEqual(s.point('a', 4, true), { startMs: 3000, value: 4 });
  s.end();
});

test('delta: growth since the previous collection over [previous, now]; after a reset the new total', () => {
  const s = new SumState('delta', 1000);
  s.begin(2000);
  assert.deepEqual(s.point('a', 10, true), { startMs: 1000, value: 10 });
  s.end();
  s.begin(3000);
  assert.deepEqual(s.point('a', 15, true), { startMs: 2000, value: 5 });
  assert.deepEqual(s.point('g', 8, false), { startMs: 2000, value: 8 });
  s.end();
  s.begin(4000);
  assert.deepEqual(s.point('a', 4, true), { startMs: 3000, value: 4 });
  assert.deepEqual(s.point('g', 5, false), { startMs: 3000, value: -3 });
  s.end();
});

test('series missing from a collection are forgotten (state bounded by the snapshot)', () => {
  const s = new SumState('cumulative', 0);
  s.begin(1);
  for (let i = 0; i < 100; i++) s.point(`k${i}`, i, true);
  s.end();
  assert.equal(s.size, 100);
  s.begin(2);
  s.point('k1', 5, true);
  s.end();
  assert.equal(s.size, 1);
  s.begin(3);
  // k2 came back: a new series, started at the previous collection.
  assert.deepEqual(s.point('k2', 9, true), { startMs: 2, value: 9 });
  s.end();
});
