/**
 * Every collector on the fixture trees with a fake QMP monitor answering with captured QEMU 7.2
 * replies: the whole sample of a running domain, the same field names on cgroup v1, hybrid and v2, the
 * QMP commands each cycle costs, and the failure reporting of the QMP collectors.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COLLECTORS } from '../../../src/collectors/index.ts';
import { runDomain, type DomainRun } from '../../../src/collectors/run-domain.ts';
import { REAL_TIMERS } from '../../../src/collectors/schedule/timers.ts';
import { sharedNetDev } from '../../../src/collectors/sources/interface.ts';
import type { SourceContext } from '../../../src/collectors/sources/context.ts';
import type { SampleFields } from '../../../src/domain/sample.ts';
import type { StatsTarget } from '../../../src/domain/stats-target.ts';
import type { DomainHints } from '../../../src/collectors/types.ts';
import { fixtureSources, startVm1Monitor, vm1Target, type Vm1Monitor } from '../../helpers/stats-fixture.ts';

let monitor: Vm1Monitor;
const contexts: SourceContext[] = [];
before(async () => { monitor = await startVm1Monitor(); });
after(async () => {
  for (const c of contexts) c.files.closeAll();
  await monitor.close();
});

const sources = (tree: string): SourceContext => {
  const ctx = fixtureSources(tree);
  contexts.push(ctx);
  return ctx;
};

/** One run of every collector, fields merged in collector order. */
async function collectAll(target: StatsTarget, ctx: SourceContext, memo = new Map<string, Map<string, unknown>>(), now = 1_700_000_000_000, hints: DomainHints = {}): Promise<{ fields: SampleFields; run: DomainRun }> {
  const { result } = runDomain(target, {
    collectors: COLLECTORS, sources: ctx, netDev: sharedNetDev(ctx), now, budgetMs: 5000, hints, timers: REAL_TIMERS,
    memo: (name) => { let m = memo.get(name); if (m === undefined) { m = new Map(); memo.set(name, m); } return m; },
  });
  const run = await result;
  const fields: SampleFields = new Map();
  for (const c of COLLECTORS) for (const [k, v] of run.outcomes.get(c.name)?.fields ?? []) fields.set(k, v);
  return { fields, run };
}

const EXPECTED_NAMES = [
  'state.state', 'state.reason',
  'cpu.time', 'cpu.user', 'cpu.system',
  'balloon.current', 'balloon.maximum', 'balloon.last-update', 'balloon.rss',
  'vcpu.current', 'vcpu.maximum',
  'vcpu.0.state', 'vcpu.0.time', 'vcpu.0.delay', 'vcpu.0.cpu',
  'vcpu.1.state', 'vcpu.1.time', 'vcpu.1.delay', 'vcpu.1.cpu',
  'net.count', 'net.0.name',
  'net.0.rx.bytes', 'net.0.rx.pkts', 'net.0.rx.errs', 'net.0.rx.drop',
  'net.0.tx.bytes', 'net.0.tx.pkts', 'net.0.tx.errs', 'net.0.tx.drop',
  'block.count',
  'block.0.name', 'block.0.path', 'block.0.rd.reqs', 'block.0.rd.bytes', 'block.0.rd.times', 'block.0.wr.reqs',
  'block.0.wr.bytes', 'block.0.wr.times', 'block.0.fl.reqs', 'block.0.fl.times', 'block.0.allocation',
  'block.0.capacity', 'block.0.physical', 'block.0.threshold',
  'block.1.name', 'block.1.path', 'block.1.rd.reqs', 'block.1.rd.bytes', 'block.1.rd.times', 'block.1.wr.reqs',
  'block.1.wr.bytes', 'block.1.wr.times', 'block.1.fl.reqs', 'block.1.fl.times', 'block.1.allocation',
  'block.1.capacity', 'block.1.physical',
  'virtmon.cgroup.memory.current', 'virtmon.cgroup.cpu.throttled',
];

test('a running domain: every group, in libvirt order, with the captured values', async () => {
  const { fields, run } = await collectAll(vm1Target('cgroup-v1', monitor.client), sources('cgroup-v1'));
  assert.equal(run.timedOut, false);
  for (const [name, o] of run.outcomes) assert.equal(o.status, 'ok', `${name}: ${o.failures.map((f) => String(f.error)).join()}`);
  assert.deepEqual([...fields.keys()], EXPECTED_NAMES);
  assert.equal(fields.get('cpu.time'), 127710489n);
  assert.equal(fields.get('balloon.current'), 65536n); // query-balloon actual 64 MiB
  assert.equal(fields.get('balloon.maximum'), 65536n);
  assert.equal(fields.get('balloon.last-update'), 0n); // guest never reported: every stat is -1
  assert.equal(fields.get('block.0.rd.bytes'), 512n);
  assert.equal(fields.get('block.0.capacity'), 67108864n);
  assert.equal(fields.get('block.0.physical'), 200704n);
  assert.equal(fields.get('block.0.threshold'), 1048576n);
  assert.equal(fields.get('block.1.allocation'), 1114112n);
  assert.equal(fields.get('block.1.capacity'), 16777216n);
  assert.equal(fields.get('net.0.rx.bytes'), 90n);
});

test('cgroup v1, hybrid and v2 fixtures give the same fields', async () => {
  const names = async (tree: string): Promise<string[]> => [...(await collectAll(vm1Target(tree, monitor.client), sources(tree))).fields.keys()];
  const v1 = await names('cgroup-v1');
  assert.deepEqual(v1, EXPECTED_NAMES);
  assert.deepEqual(await names('cgroup-hybrid'), v1);
  // v2 keeps schedstats (hand-written fixture): vcpu.N.wait appears there, everything else is equal.
  const v2 = await names('cgroup-v2');
  assert.deepEqual(v2.filter((n) => !/^vcpu\.\d\.wait$/.test(n)), v1);
  assert.ok(v2.includes('vcpu.0.wait'));
});

test('per cycle: one query-blockstats (+ qom-get for guest stats); balloon and named nodes only when stale', async () => {
  const ctx = sources('cgroup-v1');
  const target = vm1Target('cgroup-v1', monitor.client);
  const memo = new Map<string, Map<string, unknown>>();
  const t0 = 1_700_000_000_000;
  const before = monitor.server.received.length;
  await collectAll(target, ctx, memo, t0);
  const first = monitor.server.received.slice(before).map((r) => r.execute).sort();
  assert.deepEqual(first, ['qom-get', 'query-balloon', 'query-blockstats', 'query-named-block-nodes']);
  const mark = monitor.server.received.length;
  const { fields } = await collectAll(target, ctx, memo, t0 + 10_000);
  assert.deepEqual(monitor.server.received.slice(mark).map((r) => r.execute).sort(), ['qom-get', 'query-blockstats']);
  assert.equal(fields.get('block.0.capacity'), 67108864n, 'sizes reused from the cached named nodes');
  assert.equal(fields.get('balloon.current'), 65536n, 'balloon size reused');
  const mark2 = monitor.server.received.length;
  await collectAll(target, ctx, memo, t0 + 61_000);
  assert.deepEqual(monitor.server.received.slice(mark2).map((r) => r.execute).sort(),
    ['qom-get', 'query-balloon', 'query-blockstats', 'query-named-block-nodes']);
});

test('a BALLOON_CHANGE hint replaces query-balloon', async () => {
  const ctx = sources('cgroup-v1');
  const target = vm1Target('cgroup-v1', monitor.client);
  const mark = monitor.server.received.length;
  const now = 1_700_000_000_000;
  const { fields } = await collectAll(target, ctx, new Map(), now, { balloonKiB: { value: 32768n, time: now - 1000 } });
  assert.equal(fields.get('balloon.current'), 32768n);
  assert.ok(!monitor.server.received.slice(mark).some((r) => r.execute === 'query-balloon'));
});

test('a QMP error reply fails block and memory; guest-stats errors are partial; the file groups stay', async () => {
  const m = await startVm1Monitor({
    fallback: (req) => (req.execute === 'query-blockstats' || req.execute === 'query-balloon'
      ? { execute: req.execute, reply: { error: { class: 'GenericError', desc: 'boom' } } }
      : req.execute === 'qom-get' ? { execute: req.execute, reply: { error: { class: 'GenericError', desc: 'no guest stats' } } }
        : undefined),
  });
  try {
    const { fields, run } = await collectAll(vm1Target('cgroup-v1', m.client), sources('cgroup-v1'));
    assert.equal(run.outcomes.get('block')?.status, 'failed');
    assert.equal(run.outcomes.get('block')?.failures[0]?.kind, 'qmp');
    assert.equal(run.outcomes.get('memory')?.status, 'failed');
    assert.equal(run.outcomes.get('cpu')?.status, 'ok');
    assert.equal(typeof fields.get('cpu.time'), 'bigint');
    assert.equal(fields.has('block.count'), false, 'a failed collector contributes no fields');
  } finally {
    await m.close();
  }
  const g = await startVm1Monitor({
    fallback: (req) => (req.execute === 'qom-get'
      ? { execute: req.execute, reply: { error: { class: 'GenericError', desc: 'guest-stats broke' } } }
      : undefined) ?? (req.execute === 'query-blockstats' ? { execute: req.execute, reply: { return: [] } } : { execute: req.execute, reply: { return: { actual: 1048576 } } }),
  });
  try {
    const { fields, run } = await collectAll(vm1Target('cgroup-v1', g.client), sources('cgroup-v1'));
    const memory = run.outcomes.get('memory');
    assert.equal(memory?.status, 'ok');
    assert.equal(memory?.failures[0]?.partial, true);
    assert.equal(fields.get('balloon.current'), 1024n);
  } finally {
    await g.close();
  }
});

test('a shut-off domain gets state.* only and sends nothing to QMP', async () => {
  const mark = monitor.server.received.length;
  const { fields } = await collectAll(vm1Target('cgroup-v1', monitor.client, { state: 5, reason: 1 }), sources('cgroup-v1'));
  assert.deepEqual([...fields], [['state.state', 5], ['state.reason', 1]]);
  assert.equal(monitor.server.received.length, mark);
});
