// statsTargets(): what the collectors get from the test driver, on the connection's clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATS_GROUPS } from '../../../../src/domain/sample.ts';
import type { SampleFields } from '../../../../src/domain/sample.ts';
import type { StatsTarget } from '../../../../src/domain/stats-target.ts';
import { openTest } from '../../../helpers/test-driver.ts';

function collect(target: StatsTarget): SampleFields {
  const fields: SampleFields = new Map();
  for (const group of STATS_GROUPS) target.synthetic?.fill(group, fields);
  return fields;
}

async function targetOf(targets: Promise<StatsTarget[]>, name: string): Promise<StatsTarget> {
  const t = (await targets).find((x) => x.ref.name === name);
  assert.ok(t !== undefined, name);
  return t;
}

test('every domain is a target with its disks, NICs and a synthetic source', async () => {
  const { conn } = await openTest('all-states.xml');
  const targets = await conn.statsTargets();
  assert.equal(targets.length, 9);
  const running = await targetOf(Promise.resolve(targets), 'vmt-running');
  assert.deepEqual(running.disks, [{ index: 0, target: 'vda', path: '/var/lib/vmt/vmt-running.qcow2' }]);
  assert.deepEqual(running.nics, [{ index: 0, hostDev: 'testnet0', swapRxTx: true }]);
  assert.deepEqual(running.state(), { state: 1, reason: 0 });
  assert.equal(running.persistent, true);
  const off = await targetOf(Promise.resolve(targets), 'vmt-shutoff');
  assert.deepEqual([...collect(off)], [['state.state', 5], ['state.reason', 0]]);
  await conn.close();
});

test('counters advance with the clock while running, freeze while paused, restart from zero', async () => {
  const { conn, clock } = await openTest('default');
  const dom = await conn.lookupByName('test');
  const target = await targetOf(conn.statsTargets(), 'test');
  const cpu = (): bigint => collect(target).get('cpu.time') as bigint;
  const t0 = cpu();
  clock.advance(10_000);
  const t1 = cpu();
  assert.ok(t1 > t0);
  await conn.suspend(dom);
  clock.advance(10_000);
  assert.equal(cpu(), t1);
  assert.deepEqual(target.state(), { state: 3, reason: 1 });
  await conn.resume(dom);
  clock.advance(1_000);
  const t2 = cpu();
  assert.ok(t2 > t1);
  // getInfo's cpuTime is the same counter.
  assert.equal((await conn.getInfo(dom)).cpuTimeNs, t2);
  await conn.destroy(dom);
  assert.equal(collect(target).has('cpu.time'), false);
  await conn.create(dom);
  clock.advance(1_000);
  const fresh = await targetOf(conn.statsTargets(), 'test');
  const t3 = collect(fresh).get('cpu.time') as bigint;
  assert.ok(t3 > 0n && t3 < t2, `counter did not restart: ${t3} vs ${t2}`);
  await conn.close();
});

test('setMemory and setVcpus show up in the balloon and vcpu groups', async () => {
  const { conn, clock } = await openTest('default');
  const dom = await conn.lookupByName('test');
  await conn.setMemory(dom, 1048576);
  await conn.setVcpus(dom, 1);
  clock.advance(5_000);
  const fields = collect(await targetOf(conn.statsTargets(), 'test'));
  assert.equal(fields.get('balloon.current'), 1048576);
  assert.equal(fields.get('balloon.maximum'), 8388608);
  assert.equal(fields.get('vcpu.current'), 1);
  assert.equal(fields.get('vcpu.maximum'), 2);
  assert.equal(fields.has('vcpu.1.time'), false);
  assert.equal(fields.get('net.0.name'), 'testnet0');
  assert.equal(fields.get('block.0.path'), '/guest/diskimage1');
  await conn.close();
});
