/** The collector list against the config's collector names and libvirt's group order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLLECTORS, collectorsForGroups, enabledCollectors } from '../../../src/collectors/index.ts';
import { COLLECTOR_NAMES } from '../../../src/config/blocks/collection.ts';
import { STATS_GROUPS } from '../../../src/domain/sample.ts';

/** Names metrics.md §9 reserves for collectors that have no source yet (no job tracker, no pool driver). */
const RESERVED_WITHOUT_SOURCE = ['job', 'storage_pool'];

test('every collector is configurable by name, and every config name but the reserved ones is a collector', () => {
  const names = COLLECTORS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'names are unique');
  for (const name of names) assert.ok((COLLECTOR_NAMES as readonly string[]).includes(name), `${name} is in COLLECTOR_NAMES`);
  assert.deepEqual(COLLECTOR_NAMES.filter((n) => !(names as readonly string[]).includes(n)), RESERVED_WITHOUT_SOURCE);
});

test('collectors are listed in bulk-stats group order, virtmon fields last', () => {
  const order = COLLECTORS.map((c) => (c.group === 'virtmon' ? STATS_GROUPS.length : STATS_GROUPS.indexOf(c.group)));
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
  assert.equal(COLLECTORS.at(-1)?.group, 'virtmon');
});

test('enabled collectors follow the descriptor default unless config says otherwise', () => {
  assert.deepEqual(enabledCollectors().map((c) => c.name), COLLECTORS.filter((c) => c.defaultEnabled).map((c) => c.name));
  assert.deepEqual(enabledCollectors({ block: { enabled: false }, cgroup: {} }).map((c) => c.name),
    ['state', 'cpu', 'memory', 'vcpu', 'interface', 'cgroup']);
});

test('domstats group selection picks the collectors of those groups; virtmon fields only for all', () => {
  assert.deepEqual(collectorsForGroups(['block', 'state'], false).map((c) => c.name), ['state', 'block']);
  assert.ok(collectorsForGroups(STATS_GROUPS, true).some((c) => c.name === 'cgroup'));
});
