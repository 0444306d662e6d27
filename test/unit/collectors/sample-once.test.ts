import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { sampleOnce } from '../../../src/collectors/sample-once.ts';
import type { SampleFields } from '../../../src/domain/sample.ts';
import { DomainState, type StateWithReason } from '../../../src/domain/states.ts';
import type { StatsTarget, SyntheticStatsSource } from '../../../src/domain/stats-target.ts';
import { makeDef } from '../../helpers/domain-def.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

function target(name: string, id: number, state: StateWithReason, extra: Partial<StatsTarget> = {}): StatsTarget {
  return {
    ref: { name, id, uuid: `uuid-${name}` }, def: makeDef(name, `uuid-${name}`), state: () => state, persistent: true,
    disks: [], nics: [], ...extra,
  };
}

test('synthetic targets fill each requested group in libvirt order', async () => {
  const calls: string[] = [];
  const synthetic: SyntheticStatsSource = {
    fill(group: string, into: SampleFields) {
      calls.push(group);
      into.set(`${group}.marker`, 1n);
    },
  };
  const [s] = await sampleOnce([target('a', 4, { state: DomainState.RUNNING, reason: 1 }, { synthetic })], ['block', 'state', 'cpu-total', 'state'], 1700000000000);
  assert.deepEqual(calls, ['state', 'cpu-total', 'block']);
  assert.deepEqual([...(s?.fields.keys() ?? [])], ['state.marker', 'cpu-total.marker', 'block.marker']);
  assert.equal(s?.time, 1700000000000);
  assert.equal(s?.active, true);
  assert.equal(s?.id, 4);
  assert.equal(s?.flags.lastSuccess, 1700000000000);
});

test('a paused target is sampled; a shut-off one gets state.state and state.reason only', async () => {
  const [run, off] = await sampleOnce([
    target('q', 2, { state: DomainState.PAUSED, reason: 1 }, { pid: 4242 }),
    target('r', -1, { state: DomainState.SHUTOFF, reason: 2 }, { pid: 4242 }),
  ], ['state', 'cpu-total'], 5, { paths: { proc: fixture('proc'), sys: fixture('sys'), cgroup: fixture('cgroup-v1') } });
  assert.deepEqual([...(run?.fields ?? [])], [['state.state', 3], ['state.reason', 1], ['cpu.time', 120_000_000n], ['cpu.user', 90_000_000n], ['cpu.system', 30_000_000n]]);
  assert.deepEqual([...(off?.fields ?? [])], [['state.state', 5], ['state.reason', 2]]);
  assert.equal(off?.active, false);
  assert.equal(off?.state, DomainState.SHUTOFF);
});

test('real targets run the collectors: balloon from the definition without a monitor, rss from /proc', async () => {
  const [s] = await sampleOnce([target('q', 2, { state: DomainState.RUNNING, reason: 1 }, { pid: 4242 })], ['balloon'], 5,
    { paths: { proc: fixture('proc'), sys: fixture('sys'), cgroup: fixture('cgroup-v1') } });
  assert.deepEqual([...(s?.fields ?? [])], [['balloon.current', 524288n], ['balloon.maximum', 1048576n], ['balloon.rss', 47192n]]);
});
