/**
 * A SET acts once: a manager's retransmission of the same request (same sender, request-id, varbinds)
 * while the action is still running gets the first answer and no second action; two different SETs on
 * one domain run one after the other, so the second sees the first's result.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { ErrorStatus, PduType, Version, decodeCommunityMessage, encodeCommunityMessage } from '../../../src/exporters/snmp/pdu.ts';
import { V } from '../../../src/exporters/snmp/values.ts';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';

const RUNNING = 'a1000000-0000-4000-8000-0000000000a1';
const STATE = [1, 3, 6, 1, 4, 1, 36957, 1, 1, 1, 3, ...uuidToBytes(RUNNING)];
let fx: BridgeFixture;
let sock: Socket;
const replies = new Map<number, number[]>();
before(async () => {
  fx = await startBridge('enabled: true\nlisten: 127.0.0.1:0\ncommunities: { ro: [public], rw: [private] }', 'all-states.xml', (inner) => ({
    // a slow action, like a real suspend under TCG, so retransmissions arrive while it runs
    perform: async (req) => { await new Promise((r) => setTimeout(r, 300)); return inner.perform(req); },
  }));
  sock = createSocket('udp4');
  sock.on('message', (m) => {
    const p = decodeCommunityMessage(m).pdu;
    replies.set(p.requestId, [...(replies.get(p.requestId) ?? []), p.errorStatus]);
  });
  await new Promise<void>((resolve) => { sock.bind(0, '127.0.0.1', () => { resolve(); }); });
});
after(async () => {
  sock.close();
  await fx.stop();
});

const setMsg = (requestId: number, value: number): Buffer => encodeCommunityMessage({
  version: Version.V2C, community: Buffer.from('private'),
  pdu: { type: PduType.SET, requestId, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: STATE, value: V.int(value) }] },
});
const until = async (f: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
};

test('three retransmissions of one SET: one action, the same noError answer each time', async () => {
  fx.performed.length = 0;
  const { port } = fx.bridge.address()!;
  for (let i = 0; i < 3; i++) {
    sock.send(setMsg(1001, 3), port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 50));
  }
  await until(() => (replies.get(1001)?.length ?? 0) === 3);
  assert.deepEqual(replies.get(1001), [0, 0, 0]);
  assert.deepEqual(fx.performed.map((p) => p.action), ['suspend']);
});

test('two different SETs at once are serialised: resume acts, a second resume is inconsistentValue', async () => {
  fx.performed.length = 0;
  const { port } = fx.bridge.address()!;
  sock.send(setMsg(2001, 1), port, '127.0.0.1');
  sock.send(setMsg(2002, 1), port, '127.0.0.1');
  await until(() => replies.has(2001) && replies.has(2002));
  assert.deepEqual([replies.get(2001), replies.get(2002)], [[0], [ErrorStatus.inconsistentValue]]);
  assert.deepEqual(fx.performed.map((p) => p.action), ['resume']);
});
