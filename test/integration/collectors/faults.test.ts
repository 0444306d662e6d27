/**
 * Fault isolation on fake QMP monitors (performance.md §8.3 faults, DESIGN.md reliability rules): five
 * domains, each with its own monitor; after a good first cycle one monitor never answers, one answers
 * after the budget, one drops the connection mid-reply. Only those domains lose freshness (timed_out /
 * cached); the healthy ones get a fresh sample every cycle; no promise rejection goes unhandled; over
 * 1,000 back-to-back cycles the scheduler's structures stay bounded and the heap does not grow.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { enabledCollectors } from '../../../src/collectors/index.ts';
import { Scheduler } from '../../../src/collectors/scheduler.ts';
import type { StatsTarget } from '../../../src/domain/stats-target.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import type { FakeRequest, FakeStep } from '../../helpers/fake-qmp-server.ts';
import { fixtureSources, startVm1Monitor, vm1Reply, vm1Target, type Vm1Monitor } from '../../helpers/stats-fixture.ts';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

type Mode = 'ok' | 'never' | 'slow' | 'drop';
const NAMES = ['healthy1', 'healthy2', 'hung', 'slow', 'dropper'] as const;
const FAULT: Record<(typeof NAMES)[number], Mode> = { healthy1: 'ok', healthy2: 'ok', hung: 'never', slow: 'slow', dropper: 'drop' };
/** Generous: the healthy monitors answer in well under a millisecond, also on a loaded 2-core machine. */
const BUDGET_MS = 1000;

let faulty = false;
const monitors = new Map<string, Vm1Monitor>();
const targets: StatsTarget[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
const sources = fixtureSources('cgroup-v1');
const store = new SnapshotStore();
let scheduler: Scheduler;

const step = (mode: Mode) => (req: FakeRequest): FakeStep | undefined => {
  const good = vm1Reply(req);
  if (good === undefined || !faulty || mode === 'ok') return good;
  switch (mode) {
    case 'never': return { execute: req.execute, mode: 'never' };
    case 'slow': return { ...good, delayMs: 3 * BUDGET_MS };
    case 'drop': return { ...good, mode: 'drop' };
    default: return good;
  }
};

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  for (const [i, name] of NAMES.entries()) {
    const m = await startVm1Monitor({ fallback: step(FAULT[name]), recordRequests: false });
    monitors.set(name, m);
    const base = vm1Target('cgroup-v1', m.client);
    const uuid = `00000000-0000-4000-8000-00000000000${i}`;
    targets.push({ ...base, ref: { name, uuid, id: i + 1 }, def: { ...base.def, name, uuid } });
  }
  scheduler = new Scheduler({
    source: { list: () => Promise.resolve(targets) },
    store, sources, collectors: enabledCollectors(),
    intervalMs: 60_000, // cycles are driven by runCycle() below
    domainTimeoutMs: BUDGET_MS,
    backoffCapMs: 60_000,
  });
});

after(async () => {
  await scheduler.stop();
  for (const m of monitors.values()) await m.close();
  process.off('unhandledRejection', onUnhandled);
});

const sample = (name: string) => [...store.entries()].find((e) => e.sample.name === name)?.sample;
const flush = (): Promise<void> => new Promise((resolve) => { setImmediate(resolve); });

test('a hung, a slow and a dropping monitor cost only their own domains their freshness', async () => {
  await scheduler.runCycle();
  await flush();
  for (const name of NAMES) {
    assert.equal(sample(name)?.flags.timedOut, false, name);
    assert.ok(sample(name)?.fields.has('block.0.wr.bytes'), `${name} has a full first sample`);
  }
  faulty = true;
  for (let cycle = 1; cycle <= 5; cycle++) {
    const report = await scheduler.runCycle();
    await flush();
    assert.ok(report !== undefined);
    for (const name of ['healthy1', 'healthy2']) {
      const s = sample(name);
      assert.equal(s?.time, report.startedAt, `${name} sampled in cycle ${cycle}`);
      assert.equal(s?.flags.timedOut, false);
      assert.equal(s?.flags.cached, false);
      assert.equal(s?.flags.lastSuccess, report.startedAt);
      assert.ok(s?.fields.has('block.0.wr.bytes'));
    }
    if (cycle === 1) {
      for (const name of ['hung', 'slow']) {
        assert.equal(sample(name)?.flags.timedOut, true, `${name} timed out`);
        assert.equal(sample(name)?.flags.cached, true, `${name} served cached`);
        assert.equal(typeof sample(name)?.fields.get('block.0.wr.bytes'), 'bigint', `${name}: previous values kept`);
        assert.equal(typeof sample(name)?.fields.get('cpu.time'), 'bigint', `${name}: host files still fresh`);
      }
      assert.equal(sample('dropper')?.flags.cached, true, 'dropper served cached');
    }
  }
  const kinds = store.health().errorsByKind;
  assert.ok((kinds.get('timeout') ?? 0) >= 2, 'timeouts counted');
  assert.ok((kinds.get('monitor_closed') ?? 0) >= 1, 'the dropped monitor counted');
  assert.equal(monitors.get('dropper')?.client.state, 'closed');
  assert.deepEqual(unhandled, []);
});

test('1,000 cycles back to back: bounded structures, no heap growth, no unhandled rejection', async () => {
  const heap = (): number => { gc(); gc(); return process.memoryUsage().heapUsed; };
  for (let i = 0; i < 200; i++) await scheduler.runCycle();
  const warm = heap();
  const shape = scheduler.internals();
  for (let i = 0; i < 800; i++) await scheduler.runCycle();
  await flush();
  const end = heap();
  // Bounded by the number of domains and (collector, domain) sources, never by the cycle count.
  const sourcesCount = enabledCollectors().length * NAMES.length;
  for (const x of [shape, scheduler.internals()]) {
    assert.equal(x.domains, NAMES.length);
    assert.ok(x.inFlight <= NAMES.length && x.skips <= NAMES.length);
    assert.ok(x.backoff <= sourcesCount && x.memo <= sourcesCount);
  }
  assert.ok(scheduler.internals().keptFds <= shape.keptFds + NAMES.length, 'kept fds do not pile up');
  const growth = end - warm;
  assert.ok(growth < 4 * 1024 * 1024, `heap grew by ${growth} bytes over 800 cycles`);
  assert.equal(sample('healthy1')?.flags.cached, false);
  assert.equal(sample('hung')?.flags.timedOut, true, 'the hung domain stays flagged while it backs off');
  assert.deepEqual(unhandled, []);
});
