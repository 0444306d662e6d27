/** Thresholds (collectd semantics, hysteresis, invert) and the for/hits state machine. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DebounceState, type DebounceSettings } from '../../../src/alerts/debounce.ts';
import { classify, type Thresholds } from '../../../src/alerts/thresholds.ts';

const T: Thresholds = { warning: { max: 80 }, failure: { max: 90, min: 5 }, invert: false, hysteresis: 0 };
const S: DebounceSettings = { forMs: 0, hits: 1, persist: false, persistOk: false };

describe('classify', () => {
  test('failure beats warning; min and max; inside is okay', () => {
    assert.equal(classify(50, T, 'okay').severity, 'okay');
    assert.equal(classify(85, T, 'okay').severity, 'warning');
    assert.deepEqual(classify(95, T, 'okay'), { severity: 'failure', side: 'above', bound: 90 });
    assert.deepEqual(classify(1, T, 'okay'), { severity: 'failure', side: 'below', bound: 5 });
  });
  test('hysteresis only when leaving: failure bounds move inward while in failure, warning bounds while in warning', () => {
    const h = { ...T, hysteresis: 3 };
    assert.equal(classify(88, h, 'okay').severity, 'warning', 'no hysteresis entering');
    assert.equal(classify(88, h, 'failure').severity, 'failure', '88 > 90-3 keeps failure');
    assert.equal(classify(86.9, h, 'failure').severity, 'warning');
    assert.equal(classify(78, h, 'warning').severity, 'warning', '78 > 80-3 keeps warning');
    assert.equal(classify(76, h, 'warning').severity, 'okay');
    assert.equal(classify(6, h, 'failure').severity, 'failure', '6 < 5+3 keeps failure');
  });
  test('invert alerts inside the range', () => {
    const inv: Thresholds = { warning: {}, failure: { min: 10, max: 20 }, invert: true, hysteresis: 0 };
    assert.equal(classify(15, inv, 'okay').severity, 'failure');
    assert.equal(classify(25, inv, 'okay').severity, 'okay');
  });
});

describe('DebounceState', () => {
  test('hits: N means the N-th consecutive bad sample, an OK sample resets the count', () => {
    const d = new DebounceState();
    const s = { ...S, hits: 3 };
    assert.deepEqual(d.step('failure', 0, s), { kind: 'none' });
    assert.deepEqual(d.step('failure', 1, s), { kind: 'none' });
    assert.equal(d.pending, true);
    assert.deepEqual(d.step('okay', 2, s), { kind: 'none' });
    assert.equal(d.pending, false);
    d.step('failure', 3, s);
    d.step('failure', 4, s);
    assert.deepEqual(d.step('failure', 5, s), { kind: 'transition', from: 'okay', to: 'failure' });
    assert.deepEqual(d.step('failure', 6, s), { kind: 'none' }, 'reported once');
    assert.deepEqual(d.step('okay', 7, s), { kind: 'transition', from: 'failure', to: 'okay' }, 'leaving is immediate');
  });
  test('for: the condition must hold that long; warning first while failure is pending', () => {
    const d = new DebounceState();
    const s = { ...S, forMs: 10_000 };
    assert.equal(d.step('failure', 0, s).kind, 'none');
    assert.equal(d.step('failure', 9_999, s).kind, 'none');
    assert.deepEqual(d.step('failure', 10_000, s), { kind: 'transition', from: 'okay', to: 'failure' });
    assert.equal(d.since, 10_000);
    const w = new DebounceState();
    w.step('warning', 0, s);
    assert.deepEqual(w.step('failure', 10_000, s), { kind: 'transition', from: 'okay', to: 'warning' }, 'bad for 10 s, failure for 0 s');
    assert.deepEqual(w.step('failure', 20_000, s), { kind: 'transition', from: 'warning', to: 'failure' });
    assert.deepEqual(w.step('warning', 20_001, s), { kind: 'transition', from: 'failure', to: 'warning' });
  });
  test('persist repeats non-OK states every sample; persistOk repeats OK too', () => {
    const d = new DebounceState();
    const s = { ...S, persist: true };
    assert.equal(d.step('okay', 0, s).kind, 'none');
    assert.equal(d.step('warning', 1, s).kind, 'transition');
    assert.deepEqual(d.step('warning', 2, s), { kind: 'repeat', severity: 'warning' });
    const ok = new DebounceState();
    assert.deepEqual(ok.step('okay', 0, { ...S, persistOk: true }), { kind: 'repeat', severity: 'okay' });
  });
});
