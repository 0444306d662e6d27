/**
 * snmpset (net-snmp 5.9) against the standalone agent on the test driver: state changes go through
 * Actions exactly once with source `snmp`; bad transitions, bad values, read-only columns, unknown rows
 * and the read-only community get their RFC 3416 error and change nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';
import { runTool } from '../../helpers/snmp-tools.ts';

const ENTRY = '1.3.6.1.4.1.36957.1.1.1';
const RUNNING = 'a1000000-0000-4000-8000-0000000000a1';
const SHUTOFF = 'a5000000-0000-4000-8000-0000000000a5';
const PAUSED = 'a3000000-0000-4000-8000-0000000000a3';
let fx: BridgeFixture;
let failNext: VirtmonError | undefined;
before(async () => {
  fx = await startBridge('enabled: true\nlisten: 127.0.0.1:0\ncommunities: { ro: [public], rw: [private] }', 'all-states.xml', (inner) => ({
    perform: (req) => {
      const err = failNext;
      failNext = undefined;
      return err === undefined ? inner.perform(req) : Promise.reject(err);
    },
  }));
});
after(async () => { await fx.stop(); });

const idx = (uuid: string): string => [...uuidToBytes(uuid)].join('.');
const set = (community: string, ...args: string[]) =>
  runTool('snmpset', ['-v2c', '-c', community, '-On', '-t', '5', '-r', '0', fx.target, ...args]);
const state = async (uuid: string): Promise<number> => (await fx.tc.conn.getState(await fx.tc.conn.lookupByUUID(uuid))).state;

test('running → paused suspends, paused → running resumes, each through Actions once', async () => {
  fx.performed.length = 0;
  const s = await set('private', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '3');
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /INTEGER: 3/);
  assert.equal(await state(RUNNING), 3);
  const r = await set('private', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '1');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await state(RUNNING), 1);
  assert.deepEqual(fx.performed, [
    { action: 'suspend', domain: RUNNING, source: 'snmp' },
    { action: 'resume', domain: RUNNING, source: 'snmp' },
  ]);
});

test('a read-only community is refused with noAccess and nothing changes', async () => {
  fx.performed.length = 0;
  const before = fx.bridge.counters.inBadCommunityUses;
  const s = await set('public', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '3');
  assert.match(s.stderr, /Reason: noAccess/);
  assert.equal(await state(RUNNING), 1);
  assert.deepEqual(fx.performed, []);
  assert.equal(fx.bridge.counters.inBadCommunityUses, before + 1);
});

test('bad transitions and values get inconsistentValue, wrongValue, wrongType, notWritable, noCreation, inconsistentName', async () => {
  fx.performed.length = 0;
  const cases: Array<[string[], RegExp]> = [
    [[`${ENTRY}.3.${idx(PAUSED)}`, 'i', '4'], /Reason: inconsistentValue/],
    [[`${ENTRY}.3.${idx(RUNNING)}`, 'i', '1'], /Reason: inconsistentValue/],
    [[`${ENTRY}.3.${idx(RUNNING)}`, 'i', '9'], /Reason: wrongValue/],
    [[`${ENTRY}.3.${idx(RUNNING)}`, 's', 'x'], /Reason: wrongType/],
    [[`${ENTRY}.2.${idx(RUNNING)}`, 's', 'x'], /Reason: notWritable/],
    [[`${ENTRY}.7.${idx(RUNNING)}`, 'i', '1'], /Reason: notWritable/],
    [['1.3.6.1.2.1.1.5.0', 's', 'x'], /Reason: notWritable/],
    [[`${ENTRY}.3.${'9.'.repeat(15)}9`, 'i', '3'], /Reason: noCreation/],
    [[`${ENTRY}.3.1.2.3`, 'i', '3'], /Reason: noCreation/],
    [[`${ENTRY}.3.${idx(SHUTOFF)}`, 'i', '1'], /Reason: inconsistentName/],
    [[`${ENTRY}.9.${idx(RUNNING)}`, 'i', '5'], /Reason: wrongValue/],
    [[`${ENTRY}.9.${idx(RUNNING)}`, 'i', '4'], /Reason: inconsistentValue/],
    [[`${ENTRY}.9.${idx(RUNNING)}`, 'i', '2'], /Reason: wrongValue/],
  ];
  for (const [args, want] of cases) {
    const s = await set('private', ...args);
    assert.match(s.stderr, want, args.join(' '));
  }
  assert.deepEqual(fx.performed, []);
  assert.equal(await state(RUNNING), 1);
  assert.equal(await state(PAUSED), 3);
});

test('two actions in one PDU: inconsistentValue at the second varbind, nothing done', async () => {
  fx.performed.length = 0;
  const s = await set('private', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '3', `${ENTRY}.3.${idx(PAUSED)}`, 'i', '1');
  assert.match(s.stderr, /Reason: inconsistentValue/);
  assert.match(s.stderr, new RegExp(`Failed object: \\.${ENTRY.replaceAll('.', '\\.')}\\.3\\.${idx(PAUSED).replaceAll('.', '\\.')}`));
  assert.deepEqual(fx.performed, []);
});

test('RowStatus createAndGo starts a defined domain (paused with State=3), destroy powers it off', async () => {
  fx.performed.length = 0;
  const go = await set('private', `${ENTRY}.9.${idx(SHUTOFF)}`, 'i', '4', `${ENTRY}.3.${idx(SHUTOFF)}`, 'i', '3');
  assert.equal(go.code, 0, go.stderr);
  assert.equal(await state(SHUTOFF), 3);
  const walk = await runTool('snmpget', ['-v2c', '-c', 'public', '-On', fx.target, `${ENTRY}.3.${idx(SHUTOFF)}`]);
  assert.match(walk.stdout, /INTEGER: 3/);
  const destroy = await set('private', `${ENTRY}.9.${idx(SHUTOFF)}`, 'i', '6');
  assert.equal(destroy.code, 0, destroy.stderr);
  assert.equal(await state(SHUTOFF), 5);
  const gone = await runTool('snmpget', ['-v2c', '-c', 'public', '-On', fx.target, `${ENTRY}.3.${idx(SHUTOFF)}`]);
  assert.match(gone.stdout, /No Such Instance/);
  const again = await set('private', `${ENTRY}.9.${idx(SHUTOFF)}`, 'i', '6');
  assert.equal(again.code, 0, 'destroy of a missing row is a no-op');
  assert.deepEqual(fx.performed.map((p) => p.action), ['start', 'suspend', 'destroy']);
});

test('Actions refusals map to resourceUnavailable / noAccess, driver failures to commitFailed', async () => {
  const cases: Array<[VirtmonError, RegExp]> = [
    [new VirtmonError('VIRTMON_ERR_RATE_LIMITED', 'cooldown'), /Reason: resourceUnavailable/],
    [new VirtmonError('VIRTMON_ERR_ACTION_REFUSED', 'domain is protected'), /Reason: noAccess/],
    [new VirtmonError('VIR_ERR_OPERATION_FAILED', 'boom'), /Reason: commitFailed/],
  ];
  for (const [err, want] of cases) {
    failNext = err;
    const s = await set('private', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '3');
    assert.match(s.stderr, want);
    assert.equal(await state(RUNNING), 1);
  }
});

test('running → shutdown asks for a graceful shutdown', async () => {
  fx.performed.length = 0;
  const s = await set('private', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '4');
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(fx.performed.map((p) => p.action), ['shutdown']);
});
