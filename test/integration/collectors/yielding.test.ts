/**
 * The scheduler never runs a whole cycle as one synchronous stretch: on 300 test-driver domains (every
 * collector answers at once, no I/O to wait for) the event loop still gets turns during the listing
 * and the cycle, so timers and /metrics requests are served; with yielding off (`sliceMs: 0`) it gets
 * none, which is what stalled the loop for hundreds of ms at 1,000 domains.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { enabledCollectors } from '../../../src/collectors/index.ts';
import { Scheduler } from '../../../src/collectors/scheduler.ts';
import { createSourceContext } from '../../../src/collectors/sources/context.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { fixture } from '../../helpers/stats-fixture.ts';
import { openTest, type TestConn } from '../../helpers/test-driver.ts';

const N = 300;
let tc: TestConn;

before(async () => {
  tc = await openTest('default');
  for (let i = 0; i < N; i++) {
    const name = `vmt-yield-${i}`;
    const ref = await tc.conn.defineXML(`<domain type='test'><name>${name}</name><memory unit='MiB'>256</memory><vcpu>2</vcpu>`
      + `<os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/var/lib/vmt/${name}.img'/><target dev='vda'/></disk>`
      + `<interface type='ethernet'><target dev='vmty${i}'/></interface></devices></domain>`);
    await tc.conn.create(ref, {});
  }
});

after(async () => {
  await tc.conn.close();
});

async function cycleTurns(sliceMs: number): Promise<{ turns: number; sampled: number }> {
  const store = new SnapshotStore();
  const conn = tc.conn;
  const scheduler = new Scheduler({
    source: { list: () => conn.statsTargets() }, store,
    sources: createSourceContext({ proc: fixture('proc'), sys: fixture('sys'), cgroup: fixture('cgroup-v1') }),
    collectors: enabledCollectors(), intervalMs: 3_600_000, domainTimeoutMs: 2000, sliceMs,
  });
  let turns = 0;
  let done = false;
  const spin = (): void => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  // Two cycles: the first also creates every record, the second is a steady one.
  setImmediate(spin);
  await scheduler.runCycle();
  await scheduler.runCycle();
  done = true;
  await scheduler.stop();
  const sampled = [...store.entries()].filter((e) => e.sample.fields.has('cpu.time')).length;
  return { turns, sampled };
}

test('a cycle over 300 synchronous domains gives the event loop turns (4 ms slices)', async () => {
  const { turns, sampled } = await cycleTurns(4);
  assert.equal(sampled, N + 1, 'every running domain (and the default `test`) sampled');
  assert.ok(turns >= 2, `the event loop turned ${turns} times during two cycles`);
});

test('with yielding off the same cycles give it none (the old stall)', async () => {
  const { turns, sampled } = await cycleTurns(0);
  assert.equal(sampled, N + 1);
  assert.ok(turns <= 1, `the event loop turned ${turns} times`);
});
