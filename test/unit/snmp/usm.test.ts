/**
 * USM as the authoritative engine: RFC 3414 A.3 key localisation vectors, discovery, and the time
 * window that makes replayed messages fail (npm net-snmp's agent reports fixed boots/time and never
 * answers notInTimeWindow: deviation 8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PduType, type Pdu } from '../../../src/exporters/snmp/pdu.ts';
import { newCounters } from '../../../src/exporters/snmp/system-mib.ts';
import { UsmAgent, makeUser } from '../../../src/exporters/snmp/usm-agent.ts';
import { localizedKey, mac } from '../../../src/exporters/snmp/usm-crypto.ts';
import { Flags, decodeScopedPdu, decodeV3 } from '../../../src/exporters/snmp/v3-message.ts';
import { V } from '../../../src/exporters/snmp/values.ts';

test('password-to-key localisation matches RFC 3414 A.3.1 (MD5) and A.3.2 (SHA)', () => {
  const engine = Buffer.from('000000000000000000000002', 'hex');
  assert.equal(localizedKey('md5', 'maplesyrup', engine).toString('hex'), '526f5eed9fcce26f8964c2930787d82b');
  assert.equal(localizedKey('sha', 'maplesyrup', engine).toString('hex'), '6695febc9288e36282235fc7151f128497b38f3f');
});

const ENGINE = Buffer.from('8000000005aabbccddeeff', 'hex');
const get: Pdu = { type: PduType.GET, requestId: 42, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: [1, 3, 6, 1, 2, 1, 1, 1, 0], value: V.null }] };
const answer = () => Promise.resolve({ errorStatus: 0, errorIndex: 0, varbinds: [{ oid: [1, 3, 6, 1, 2, 1, 1, 1, 0], value: V.str('ok') }] });

function agents(time: { now: number }) {
  const user = { name: 'u', access: 'ro' as const, authProtocol: 'sha' as const, authPassword: 'authpass1', privProtocol: 'aes' as const, privPassword: 'privpass1' };
  const counters = newCounters();
  const agent = new UsmAgent({ engineId: ENGINE, boots: 3, time: () => time.now, users: [makeUser(user, ENGINE)], counters, maxMessageSize: 8192 });
  return { agent, counters };
}

test('a request as the manager would send it is answered, encrypted, with our boots/time', async () => {
  const clock = { now: 1000 };
  const { agent } = agents(clock);
  // The agent's own encoder produces exactly what an authPriv manager sends (same engine, keys, layout).
  const request = agent.encode({ ...get }, 7, agentUser(agent), true);
  const reply = await agent.handle(Buffer.from(setReportable(request)), answer);
  assert.ok(reply !== undefined);
  const m = decodeV3(reply);
  assert.equal(m.msgId, 7);
  assert.equal(m.flags, Flags.AUTH | Flags.PRIV);
  assert.equal(m.boots, 3);
  assert.ok(m.encrypted);
});

test('a message replayed after the 150 s window gets a notInTimeWindow report and no answer', async () => {
  const clock = { now: 1000 };
  const { agent, counters } = agents(clock);
  const request = setReportable(agent.encode({ ...get }, 8, agentUser(agent), true));
  clock.now = 1000 + 151;
  const reply = await agent.handle(request, answer);
  assert.ok(reply !== undefined);
  const m = decodeV3(reply);
  assert.equal(m.encrypted, false);
  const report = decodeScopedPdu(m.data).pdu;
  assert.equal(report.type, PduType.REPORT);
  assert.deepEqual(report.varbinds[0]?.oid, [1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0]);
  assert.equal(counters.notInTimeWindows, 1);
  assert.equal(m.time, 1151, 'the report carries our time so the manager can resynchronise');
});

test('discovery: an empty engine ID gets usmStatsUnknownEngineIDs with our engine ID', async () => {
  const { agent, counters } = agents({ now: 5 });
  const probe = agent.encode({ ...get, varbinds: [] }, 9, undefined, false, '');
  // Rewrite the engine ID to empty as a discovering manager sends it.
  const discovery = Buffer.from(probe.toString('hex').replace(`040b${ENGINE.toString('hex')}`, '0400'), 'hex');
  const fixed = fixLengths(discovery, probe.length - discovery.length);
  const reply = await agent.handle(setReportable(fixed), answer);
  assert.ok(reply !== undefined);
  const m = decodeV3(reply);
  assert.deepEqual(m.engineId, ENGINE);
  assert.deepEqual(decodeScopedPdu(m.data).pdu.varbinds[0]?.oid, [1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0]);
  assert.equal(counters.unknownEngineIDs, 1);
});

/** The agent's user, rebuilt (makeUser is deterministic, so the keys are the agent's). */
function agentUser(_agent: UsmAgent) {
  return makeUser({ name: 'u', access: 'ro', authProtocol: 'sha', authPassword: 'authpass1', privProtocol: 'aes', privPassword: 'privpass1' }, ENGINE);
}

/** Sets the reportable flag (as a manager does) and re-signs an authenticated message. */
function setReportable(msg: Buffer): Buffer {
  const m = decodeV3(msg);
  const out = Buffer.from(msg);
  const flagsAt = out.indexOf(Buffer.from([0x04, 0x01, m.flags]));
  out[flagsAt + 2] = m.flags | Flags.REPORTABLE;
  if ((m.flags & Flags.AUTH) !== 0) {
    const user = makeUser({ name: 'u', access: 'ro', authProtocol: 'sha', authPassword: 'authpass1', privProtocol: 'aes', privPassword: 'privpass1' }, ENGINE);
    out.fill(0, m.authOffset, m.authOffset + 12);
    mac('sha', user.authKey, out).copy(out, m.authOffset);
  }
  return out;
}

/** Shrinks the outer SEQUENCE and the security-parameters lengths by `delta` (short-form lengths only). */
function fixLengths(msg: Buffer, delta: number): Buffer {
  const out = Buffer.from(msg);
  out[1] = out[1]! - delta;
  // security parameters: OCTET STRING then SEQUENCE, both short form in this small message
  const sp = out.indexOf(Buffer.from([0x04]), out.indexOf(Buffer.from([0x02, 0x01, 0x03]), 4) + 3);
  out[sp + 1] = out[sp + 1]! - delta;
  out[sp + 3] = out[sp + 3]! - delta;
  return out;
}
