import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticStats } from '../../../../src/drivers/test/synthetic-stats.ts';
import type { SyntheticSubject } from '../../../../src/drivers/test/synthetic-stats.ts';
import { STATS_GROUPS } from '../../../../src/domain/sample.ts';
import type { SampleFields } from '../../../../src/domain/sample.ts';
import { DomainState } from '../../../../src/domain/states.ts';
import { disk, makeDef, nic } from '../../../helpers/domain-def.ts';

const UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';
const def = makeDef('vmt-stats', UUID, {
  vcpu: { max: 4, current: 2 },
  devices: {
    disks: [disk('vda'), disk('vdb', '/var/lib/vmt/data.raw'), { type: 'file', device: 'cdrom', target: { dev: 'hdc', bus: 'ide' }, readonly: true, extraAttrs: {}, extra: [] }],
    interfaces: [nic('vmt-tap0'), nic(undefined)],
    memballoon: { model: 'virtio', statsPeriod: 5, extra: [] },
    serials: [], consoles: [], graphics: [], other: [],
  },
});

function sample(stats: SyntheticStats, subject: SyntheticSubject): SampleFields {
  const fields: SampleFields = new Map();
  for (const group of STATS_GROUPS) stats.fill(group, fields, subject);
  return fields;
}

/** The counters: every bigint field. */
function counters(fields: SampleFields): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [k, v] of fields) if (typeof v === 'bigint') out.set(k, v);
  return out;
}

test('fields come in virsh domstats order, group by group', () => {
  let now = 1_700_000_000_000;
  const stats = new SyntheticStats(UUID, () => now);
  stats.boot(true);
  now += 60_000;
  const keys = [...sample(stats, { state: DomainState.RUNNING, reason: 1, def }).keys()];
  assert.deepEqual(keys.slice(0, 5), ['state.state', 'state.reason', 'cpu.time', 'cpu.user', 'cpu.system']);
  assert.deepEqual(keys.filter((k) => k.startsWith('balloon.')), [
    'balloon.current', 'balloon.maximum', 'balloon.swap_in', 'balloon.swap_out', 'balloon.major_fault',
    'balloon.minor_fault', 'balloon.unused', 'balloon.available', 'balloon.usable', 'balloon.last-update',
    'balloon.disk_caches', 'balloon.hugetlb_pgalloc', 'balloon.hugetlb_pgfail', 'balloon.rss',
  ]);
  assert.deepEqual(keys.filter((k) => k.startsWith('vcpu.')), [
    'vcpu.current', 'vcpu.maximum',
    'vcpu.0.state', 'vcpu.0.time', 'vcpu.0.wait', 'vcpu.0.delay',
    'vcpu.1.state', 'vcpu.1.time', 'vcpu.1.wait', 'vcpu.1.delay',
  ]);
  assert.deepEqual(keys.filter((k) => k.startsWith('net.')), [
    'net.count', 'net.0.name', 'net.0.rx.bytes', 'net.0.rx.pkts', 'net.0.rx.errs', 'net.0.rx.drop',
    'net.0.tx.bytes', 'net.0.tx.pkts', 'net.0.tx.errs', 'net.0.tx.drop',
  ]);
  const block0 = keys.filter((k) => k.startsWith('block.0.'));
  assert.deepEqual(block0, ['name', 'path', 'rd.reqs', 'rd.bytes', 'rd.times', 'wr.reqs', 'wr.bytes', 'wr.times',
    'fl.reqs', 'fl.times', 'allocation', 'capacity', 'physical'].map((s) => `block.0.${s}`));
  assert.deepEqual(keys.filter((k) => k.startsWith('block.2.')), ['block.2.name']);
  // Group order as in STATS_GROUPS: the first key of each group appears in that order.
  const firstOf = (prefix: string): number => keys.findIndex((k) => k.startsWith(prefix));
  const order = ['state.', 'cpu.', 'balloon.', 'vcpu.', 'net.', 'block.'].map(firstOf);
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
});

test('values match the definition and are deterministic for a clock', () => {
  const run = (): SampleFields => {
    let now = 1_700_000_000_000;
    const stats = new SyntheticStats(UUID, () => now);
    stats.boot(true);
    now += 123_456;
    return sample(stats, { state: DomainState.RUNNING, reason: 1, def });
  };
  const a = run();
  assert.deepEqual(a, run());
  assert.equal(a.get('balloon.current'), def.currentMemoryKiB);
  assert.equal(a.get('balloon.maximum'), def.memoryKiB);
  assert.equal(a.get('balloon.available'), def.currentMemoryKiB);
  assert.equal(a.get('balloon.last-update'), 1_700_000_120); // a multiple of the 5 s period
  assert.equal(a.get('vcpu.current'), 2);
  assert.equal(a.get('vcpu.maximum'), 4);
  assert.equal(a.get('net.count'), 2);
  assert.equal(a.get('net.0.name'), 'vmt-tap0');
  assert.equal(a.get('block.count'), 3);
  assert.equal(a.get('block.1.path'), '/var/lib/vmt/data.raw');
  const time = a.get('cpu.time') as bigint;
  assert.equal((a.get('cpu.user') as bigint) + (a.get('cpu.system') as bigint), time);
  assert.ok(time > 0n);
  // cpu.time stays within what 4 vCPUs could burn in the running time.
  assert.ok(time <= 4n * 123_456n * 1_000_000n * 3n / 2n);
  // Booted at the instant it is read: nothing accumulated yet.
  const fresh = new SyntheticStats('0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e11', () => 1_700_000_123_456);
  fresh.boot(true);
  const b: SampleFields = new Map();
  fresh.fill('cpu-total', b, { state: DomainState.RUNNING, reason: 1, def });
  assert.equal(b.get('cpu.time'), 0n);
});

test('counters are monotonic over a stepped clock and freeze while paused', () => {
  let now = 1_700_000_000_000;
  const stats = new SyntheticStats(UUID, () => now);
  stats.boot(true);
  let state: number = DomainState.RUNNING;
  let prev = counters(sample(stats, { state: DomainState.RUNNING, reason: 1, def }));
  let grew = 0;
  for (let step = 1; step <= 2000; step++) {
    now += 997 + (step % 7) * 13; // uneven steps, ~33 minutes in all
    if (step === 600) { stats.setRunning(false); state = DomainState.PAUSED; }
    if (step === 700) { stats.setRunning(true); state = DomainState.RUNNING; }
    const cur = counters(sample(stats, { state: state as 1, reason: 1, def }));
    for (const [k, v] of cur) {
      const before = prev.get(k);
      assert.ok(before !== undefined, `${k} appeared at step ${step}`);
      assert.ok(v >= before, `${k} went back at step ${step}: ${before} → ${v}`);
      if (step > 600 && step <= 700) assert.equal(v, before, `${k} moved while paused (step ${step})`);
    }
    if ((cur.get('cpu.time') ?? 0n) > (prev.get('cpu.time') ?? 0n)) grew++;
    prev = cur;
  }
  assert.ok(grew > 1800, `cpu.time grew in only ${grew} steps`);
  for (const k of ['net.0.rx.bytes', 'net.0.tx.pkts', 'block.0.rd.bytes', 'block.1.wr.reqs', 'vcpu.1.time']) {
    assert.ok((prev.get(k) ?? 0n) > 0n, `${k} never moved`);
  }
});

test('a new boot starts counters from zero; inactive domains report state only', () => {
  let now = 1_700_000_000_000;
  const stats = new SyntheticStats(UUID, () => now);
  stats.boot(true);
  now += 600_000;
  const before = sample(stats, { state: DomainState.RUNNING, reason: 1, def });
  stats.setRunning(false);
  const off = sample(stats, { state: DomainState.SHUTOFF, reason: 2, def });
  assert.deepEqual([...off], [['state.state', 5], ['state.reason', 2]]);
  now += 10_000;
  stats.boot(true);
  now += 1_000;
  const after = sample(stats, { state: DomainState.RUNNING, reason: 1, def });
  for (const k of ['cpu.time', 'net.0.rx.bytes', 'block.0.wr.bytes']) {
    assert.ok((after.get(k) as bigint) < (before.get(k) as bigint), `${k} did not reset`);
  }
});
