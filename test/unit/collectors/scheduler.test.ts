/**
 * The scheduler on manual timers: fixed-rate ticks with bounded jitter and no catch-up, overlap skip,
 * per-domain deadline (timed_out, cached, expiry after 2 intervals), busy-skip, backoff doubling, cap
 * and reset with complain/release logging, lanes for per-collector intervals, and cron periods.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scheduler, type SchedulerOptions } from '../../../src/collectors/scheduler.ts';
import { IntervalTicks, CronTicks } from '../../../src/collectors/schedule/ticks.ts';
import { Backoff } from '../../../src/collectors/schedule/backoff.ts';
import { stateCollector } from '../../../src/collectors/state.ts';
import { createSourceContext } from '../../../src/collectors/sources/context.ts';
import type { Collector } from '../../../src/collectors/types.ts';
import { recordingLogger } from '../../../src/domain/logger.ts';
import { DomainState } from '../../../src/domain/states.ts';
import type { StatsTarget } from '../../../src/domain/stats-target.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { makeDef } from '../../helpers/domain-def.ts';
import { ManualTimers, settle } from '../../helpers/manual-timers.ts';
import { fixture } from '../../helpers/stats-fixture.ts';

const T0 = 1_700_000_000_000;

function target(name: string): StatsTarget {
  const uuid = `00000000-0000-4000-8000-${name.padStart(12, '0')}`;
  return {
    ref: { name, uuid, id: 1 }, def: makeDef(name, uuid), state: () => ({ state: DomainState.RUNNING, reason: 1 }),
    persistent: true, disks: [], nics: [],
  };
}

/** A collector whose behaviour per call is scripted by the test. */
function scripted(name: string, behave: (target: StatsTarget, call: number, signal: AbortSignal) => Promise<void> | 'fail' | void): Collector & { calls: Array<{ domain: string; at: number }> } {
  const calls: Array<{ domain: string; at: number }> = [];
  return {
    name, group: 'cpu-total', defaultEnabled: true, usesQmp: true, calls,
    async collect(t, ctx) {
      calls.push({ domain: t.ref.name, at: ctx.now });
      const r = behave(t, calls.length, ctx.signal);
      if (r === 'fail') { ctx.fail('qmp', new Error('scripted failure')); return; }
      if (r !== undefined) await r;
      ctx.sample.set('cpu.time', BigInt(calls.length));
    },
  };
}

function scheduler(timers: ManualTimers, targets: StatsTarget[], collectors: Collector[], extra: Partial<SchedulerOptions> = {}): { s: Scheduler; store: SnapshotStore } {
  const store = new SnapshotStore();
  const s = new Scheduler({
    source: { list: () => Promise.resolve(targets) },
    store,
    sources: createSourceContext({ proc: fixture('proc'), sys: fixture('sys'), cgroup: fixture('cgroup-v1') }),
    collectors: [stateCollector, ...collectors],
    intervalMs: 1000,
    domainTimeoutMs: 500,
    timers,
    random: () => 0,
    ...extra,
  });
  return { s, store };
}

const never = (signal: AbortSignal): Promise<void> => new Promise<void>((_resolve, reject) => {
  signal.addEventListener('abort', () => { reject(new Error('aborted')); }, { once: true });
});

test('interval ticks: first at once, then fixed rate with jitter in [0, jitter), no catch-up after a stall', async () => {
  const timers = new ManualTimers(T0);
  let r = 0.999;
  const ticks = new IntervalTicks(1000, 200, timers, () => r);
  const at: number[] = [];
  ticks.start(() => { at.push(timers.now() - T0); });
  await timers.advance(0);
  assert.deepEqual(at, [0]);
  await timers.advance(1199);
  assert.equal(at.length, 1, 'jitter 0.999 × 200 ms: not yet at 1199');
  r = 0; // the jitter of the slot after next is drawn when this tick fires
  await timers.advance(1);
  assert.equal(at.length, 2);
  assert.ok(at[1]! >= 1000 && at[1]! < 1200, `jittered tick at ${at[1]}`);
  await timers.advance(800);
  assert.deepEqual(at.slice(2), [2000]);
  ticks.stop();
  assert.equal(timers.pendingCount, 0, 'stop clears the timer');

  // A blocked event loop: the timer runs 3.5 periods late; the missed slots are not replayed.
  const late = new ManualTimers(T0);
  const fired: number[] = [];
  const t2 = new IntervalTicks(1000, 0, late);
  t2.start(() => { fired.push(late.now() - T0); });
  await late.advance(0);
  await late.jump(3500);
  await late.advance(500);
  assert.deepEqual(fired, [0, 3500, 4000], 'the 1000 slot ran late once; 2000 and 3000 were not replayed');
  t2.stop();
});

test('the scheduler: one cycle per tick, every domain sampled, timers cleared on stop', async () => {
  const timers = new ManualTimers(T0);
  const c = scripted('cpu', () => undefined);
  const { s, store } = scheduler(timers, [target('a'), target('b')], [c]);
  await s.start();
  await timers.advance(2500);
  assert.equal(c.calls.length, 6, '3 cycles × 2 domains');
  const a = [...store.entries()].find((e) => e.sample.name === 'a');
  assert.deepEqual([...(a?.sample.fields ?? [])], [['state.state', 1], ['state.reason', 1], ['cpu.time', 5n]]);
  assert.equal(a?.sample.flags.timedOut, false);
  assert.equal(a?.sample.flags.cached, false);
  assert.equal(a?.sample.flags.lastSuccess, T0 + 2000);
  assert.equal(store.health().up, true);
  assert.equal(store.health().domainCount, 2);
  await s.stop();
  assert.equal(timers.pendingCount, 0);
});

test('a domain over budget: timed_out and cached with its previous values; values expire after 2 intervals', async () => {
  const timers = new ManualTimers(T0);
  const c = scripted('cpu', (t, _n, signal) => (t.ref.name === 'slow' && timers.now() >= T0 + 1000 ? never(signal) : undefined));
  const { s, store } = scheduler(timers, [target('slow'), target('fast')], [c]);
  await s.start();
  await timers.advance(0);
  assert.equal(store.get(target('slow').ref.uuid)?.sample.fields.get('cpu.time'), 1n);
  await timers.advance(1500); // cycle at 1000: slow hangs for its 500 ms budget
  const slow = store.get(target('slow').ref.uuid)?.sample;
  const fast = store.get(target('fast').ref.uuid)?.sample;
  assert.equal(slow?.flags.timedOut, true);
  assert.equal(slow?.flags.cached, true);
  assert.equal(slow?.fields.get('cpu.time'), 1n, 'previous value served');
  assert.equal(slow?.flags.lastSuccess, T0);
  assert.equal(fast?.flags.timedOut, false);
  assert.equal(fast?.time, T0 + 1000, 'the other domain kept its interval');
  assert.equal(store.health().errorsByKind.get('timeout'), 1);
  await timers.advance(1000); // t=2500: the cycle at 2000 is past; the value from t=0 expired at 2000
  assert.equal(store.get(target('slow').ref.uuid)?.sample.fields.has('cpu.time'), false);
  assert.equal(store.get(target('slow').ref.uuid)?.sample.fields.get('state.state'), 1, 'the entry stays with its state');
  assert.equal(store.get(target('fast').ref.uuid)?.sample.time, T0 + 2000);
  await s.stop();
});

test('busy-skip: a domain whose collection is still in flight is skipped and counted; overlapping ticks are skipped', async () => {
  const timers = new ManualTimers(T0);
  let release: () => void = () => undefined;
  const stuck = new Promise<void>((resolve) => { release = resolve; });
  // Ignores the abort signal: the collection outlives its budget.
  const c = scripted('cpu', (t, n) => (t.ref.name === 'stuck' && n <= 2 ? stuck : undefined));
  const { s, store } = scheduler(timers, [target('stuck'), target('ok')], [c], { concurrency: 1, domainTimeoutMs: 700 });
  await s.start();
  await timers.advance(0); // cycle 0: stuck (700 ms budget) then ok → cycle lasts until 700
  await timers.advance(1000); // t=1000: stuck is still in flight → skipped
  const uuid = target('stuck').ref.uuid;
  assert.equal(store.health().domainSkips.get(uuid), 1);
  assert.equal(store.get(uuid)?.sample.flags.timedOut, true);
  release();
  await timers.advance(1000); // t=2000: it finished, so it runs again
  assert.equal(store.get(uuid)?.sample.flags.timedOut, false);
  assert.equal(store.get(uuid)?.sample.flags.cached, false);
  assert.equal(store.get(uuid)?.sample.time, T0 + 2000);
  assert.deepEqual(c.calls.filter((x) => x.domain === 'stuck').map((x) => x.at - T0), [0, 2000]);
  await s.stop();

  // Overlap: two hanging domains in a pool of 1 make a cycle last 2 × 700 ms > the 1000 ms interval.
  const t2 = new ManualTimers(T0);
  const hang = scripted('cpu', (_t, _n, signal) => never(signal));
  const o = scheduler(t2, [target('x'), target('y')], [hang], { concurrency: 1, domainTimeoutMs: 700 });
  await o.s.start();
  await t2.advance(1100);
  assert.equal(o.store.health().cyclesSkipped, 1, 'the tick at 1000 found the cycle still running');
  await o.s.stop();
});

test('backoff: a failing source doubles its interval up to the cap, resets on success; complain once, release once', async () => {
  const timers = new ManualTimers(T0);
  const lines = recordingLogger();
  let failing = true;
  const c = scripted('cpu', () => (failing ? 'fail' : undefined));
  const { s, store } = scheduler(timers, [target('a')], [c], { backoffCapMs: 4000, logger: lines });
  await s.start();
  await timers.advance(10_500);
  // Failures at 0 (→ 2 s), 2000 (→ 4 s), 6000 (→ capped 4 s), 10000.
  assert.deepEqual(c.calls.map((x) => x.at - T0), [0, 2000, 6000, 10_000]);
  assert.equal(store.health().collectors.find((h) => h.name === 'cpu')?.intervalMs, 4000);
  assert.equal(store.health().collectors.find((h) => h.name === 'cpu')?.success, false);
  failing = false;
  await timers.advance(5000);
  assert.deepEqual(c.calls.map((x) => x.at - T0), [0, 2000, 6000, 10_000, 14_000, 15_000]);
  assert.equal(store.health().collectors.find((h) => h.name === 'cpu')?.intervalMs, 1000);
  assert.equal(store.health().collectors.find((h) => h.name === 'cpu')?.success, true);
  const cpuLines = lines.lines.filter((l) => l.fields.collector === 'cpu');
  assert.deepEqual(cpuLines.map((l) => `${l.level} ${l.message}`), [
    'warn collector failed; backing off',
    'debug collector still failing', 'debug collector still failing', 'debug collector still failing',
    'info collector recovered',
  ]);
  await s.stop();
});

test('Backoff alone: due times, cap, forget', () => {
  const b = new Backoff(10_000);
  assert.equal(b.due('k', 0, 1000), true);
  assert.deepEqual(b.failure('k', 0, 1000), { first: true, intervalMs: 2000 });
  assert.equal(b.due('k', 1000, 1000), false);
  assert.equal(b.due('k', 1500, 1000), true, 'half a base interval of slack for jitter');
  assert.deepEqual(b.failure('k', 2000, 1000), { first: false, intervalMs: 4000 });
  for (let i = 0; i < 10; i++) b.failure('k', 3000, 1000);
  assert.equal(b.intervalMs('k', 1000), 10_000);
  assert.equal(b.success('k'), true);
  assert.equal(b.success('k'), false);
  b.failure('x\u0000u1', 0, 1000);
  b.forget((k) => k.endsWith('\u0000u1'));
  assert.equal(b.size, 0);
});

test('a collector with its own interval runs in its own lane; its values expire after 2 of its intervals', async () => {
  const timers = new ManualTimers(T0);
  const fast = scripted('cpu', () => undefined);
  const slow: Collector & { calls: unknown[] } = { ...scripted('block', () => undefined), group: 'block' };
  const { s } = scheduler(timers, [target('a')], [fast, slow], { perCollector: { block: { intervalMs: 3000 } } });
  assert.deepEqual(s.laneIds, ['base', 'collector:block']);
  await s.start();
  await timers.advance(6500);
  assert.equal(fast.calls.length, 7);
  assert.equal(slow.calls.length, 3);
  await s.stop();
});

test('cron schedules: period from the next two runs; node-cron fires the tick', async (t) => {
  assert.equal(new CronTicks('*/5 * * * * *', 0).periodMs(), 5000);
  assert.equal(new CronTicks('0 */2 * * *', 0).periodMs(), 7_200_000);
  assert.throws(() => new CronTicks('not a cron', 0), /invalid cron expression/);
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: new Date('2024-01-01T00:00:00.500Z') });
  const ticks = new CronTicks('* * * * * *', 0);
  let n = 0;
  ticks.start(() => { n++; });
  for (let i = 0; i < 30 && n < 2; i++) {
    t.mock.timers.tick(250);
    await Promise.resolve();
  }
  ticks.stop();
  assert.ok(n >= 2, `cron fired ${n} times in 7.5 s of mocked time`);
});

test('a failing first listing: error rejects start(); retry starts with up=0 and recovers', async () => {
  const timers = new ManualTimers(T0);
  let fail = true;
  const store = new SnapshotStore();
  const opts: SchedulerOptions = {
    source: { list: () => (fail ? Promise.reject(new Error('driver down')) : Promise.resolve([target('a')])) },
    store, sources: createSourceContext({ proc: fixture('proc'), sys: fixture('sys'), cgroup: fixture('cgroup-v1') }),
    collectors: [stateCollector], intervalMs: 1000, domainTimeoutMs: 500, timers,
  };
  await assert.rejects(new Scheduler({ ...opts, startupErrorBehavior: 'error' }).start(), /first domain listing failed/);
  const s = new Scheduler({ ...opts, startupErrorBehavior: 'retry' });
  await s.start();
  await timers.advance(0);
  assert.equal(store.health().up, false);
  fail = false;
  await timers.advance(1000);
  assert.equal(store.health().up, true);
  assert.equal(store.size, 1);
  await s.stop();
  await settle();
});
