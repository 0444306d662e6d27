import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleOnce } from '../../../src/collectors/sample-once.ts';
import type { DomainDef } from '../../../src/domain/def.ts';
import type { SampleFields } from '../../../src/domain/sample.ts';
import { DomainState, type StateWithReason } from '../../../src/domain/states.ts';
import type { StatsTarget, SyntheticStatsSource } from '../../../src/domain/stats-target.ts';

const def = {} as DomainDef; // sampleOnce never reads the definition

function target(name: string, id: number, state: StateWithReason, synthetic?: SyntheticStatsSource): StatsTarget {
  return {
    ref: { name, id, uuid: `uuid-${name}` }, def, state: () => state, persistent: true, disks: [], nics: [],
    ...(synthetic === undefined ? {} : { synthetic }),
  };
}

test('synthetic targets fill each requested group in libvirt order', () => {
  const calls: string[] = [];
  const synthetic: SyntheticStatsSource = {
    fill(group: string, into: SampleFields) {
      calls.push(group);
      into.set(`${group}.marker`, 1n);
    },
  };
  const [s] = sampleOnce([target('a', 4, { state: DomainState.RUNNING, reason: 1 }, synthetic)], ['block', 'state', 'cpu-total', 'state'], 1700000000000);
  assert.deepEqual(calls, ['state', 'cpu-total', 'block']);
  assert.deepEqual([...(s?.fields.keys() ?? [])], ['state.marker', 'cpu-total.marker', 'block.marker']);
  assert.equal(s?.time, 1700000000000);
  assert.equal(s?.active, true);
  assert.equal(s?.id, 4);
});

test('other targets get state.state and state.reason from the driver only', () => {
  const [run, off] = sampleOnce([
    target('q', 2, { state: DomainState.PAUSED, reason: 1 }),
    target('r', -1, { state: DomainState.SHUTOFF, reason: 2 }),
  ], ['state', 'cpu-total'], 5);
  assert.deepEqual([...(run?.fields ?? [])], [['state.state', 3], ['state.reason', 1]]);
  assert.equal(off?.active, false);
  assert.equal(off?.state, DomainState.SHUTOFF);
  const [none] = sampleOnce([target('q', 2, { state: DomainState.RUNNING, reason: 1 })], ['balloon'], 5);
  assert.equal(none?.fields.size, 0);
});
