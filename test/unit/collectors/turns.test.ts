/** Cooperative yielding: Turns on an injected clock, and runPool giving the event loop turns. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPool } from '../../../src/collectors/schedule/pool.ts';
import { Turns } from '../../../src/collectors/schedule/turns.ts';

test('a slice shorter than sliceMs never yields; a longer one hands out one shared turn', async () => {
  let now = 0;
  const turns = new Turns(4, () => now);
  assert.equal(turns.due(), undefined, 'the first call starts a slice');
  now = 3;
  assert.equal(turns.due(), undefined);
  now = 4;
  const turn = turns.due();
  assert.ok(turn !== undefined);
  assert.equal(turns.due(), turn, 'every caller of this slice waits for the same turn');
  await turn;
  assert.equal(turns.due(), undefined, 'after the turn a new slice starts');
});

test('a turn the event loop took anyway (I/O wait) starts a new slice without an extra yield', async () => {
  let now = 0;
  const turns = new Turns(4, () => now);
  void turns.due();
  await new Promise<void>((resolve) => { setImmediate(resolve); });
  now = 100;
  assert.equal(turns.due(), undefined);
});

test('sliceMs 0 never yields', () => {
  let now = 0;
  const turns = new Turns(0, () => now);
  void turns.due();
  now = 1e9;
  assert.equal(turns.due(), undefined);
});

/** Busy work of about `ms` (a domain whose sources answer synchronously). */
const work = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* a synchronous collector */ }
};

test('runPool over synchronous items lets immediates run in between with turns, and not without', async () => {
  const items = Array.from({ length: 200 }, (_, i) => i);
  for (const [turns, expectTurns] of [[new Turns(2), true], [undefined, false]] as const) {
    let loopTurns = 0;
    let done = false;
    const spin = (): void => {
      if (done) return;
      loopTurns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const seen: number[] = [];
    await runPool(items, 8, (i) => {
      work(0.05);
      seen.push(i);
      return Promise.resolve();
    }, turns);
    done = true;
    assert.equal(seen.length, items.length, 'every item ran once');
    assert.equal(new Set(seen).size, items.length);
    // 200 × 0.05 ms is ≥ 10 ms of synchronous work: with 2 ms slices the loop turned several times.
    if (expectTurns) assert.ok(loopTurns >= 2, `the event loop turned ${loopTurns} times`);
    else assert.equal(loopTurns, 0, 'without turns the pool ran as one microtask chain');
  }
});
