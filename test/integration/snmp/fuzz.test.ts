/**
 * Hostile input: at least 10,000 random, truncated and mutated SNMP packets (v1, v2c, v3, AgentX-sized
 * junk) at the UDP agent. The process survives, the agent still answers, malformed packets are counted
 * in snmpInASNParseErrs and logged once. The decoders alone only ever throw VIRTMON_ERR_SNMP_DECODE.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { PduType, Version, decodeCommunityMessage, encodeCommunityMessage, type Pdu } from '../../../src/exporters/snmp/pdu.ts';
import { decodeV3 } from '../../../src/exporters/snmp/v3-message.ts';
import { V } from '../../../src/exporters/snmp/values.ts';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';

const ENTRY = [1, 3, 6, 1, 4, 1, 36957, 1, 1, 1];
let fx: BridgeFixture;
let sock: Socket;
const replies: Buffer[] = [];
before(async () => {
  fx = await startBridge('enabled: true\nlisten: 127.0.0.1:0\ncommunities: { ro: [public], rw: [private] }\nusers: [{ name: fz, authPassword: fuzzfuzz1, privPassword: fuzzfuzz2 }]');
  sock = createSocket('udp4');
  sock.on('message', (m) => { replies.push(m); });
  await new Promise<void>((resolve) => { sock.bind(0, '127.0.0.1', () => { resolve(); }); });
});
after(async () => {
  sock.close();
  await fx.stop();
});

const msg = (pdu: Pdu, community = 'public', version: number = Version.V2C): Buffer =>
  encodeCommunityMessage({ version, community: Buffer.from(community), pdu });
const pdu = (type: Pdu['type'], oids: number[][], a = 0, b = 0): Pdu =>
  ({ type, requestId: randomInt(0x7fffffff), errorStatus: a, errorIndex: b, varbinds: oids.map((oid) => ({ oid, value: V.null })) });

/** Valid messages the mutations start from. */
function seeds(): Buffer[] {
  return [
    msg(pdu(PduType.GET, [[1, 3, 6, 1, 2, 1, 1, 1, 0]])),
    msg(pdu(PduType.GET_NEXT, [ENTRY, [1, 3]])),
    msg(pdu(PduType.GET_BULK, [[1, 3, 6, 1, 2, 1, 1], ENTRY], 1, 0x7fffffff)),
    msg(pdu(PduType.GET_BULK, [ENTRY], -5, -7)),
    msg({ ...pdu(PduType.SET, [[...ENTRY, 3, ...Array<number>(16).fill(161)]]), varbinds: [{ oid: [...ENTRY, 3, 1], value: V.int(3) }] }, 'private'),
    msg(pdu(PduType.GET, [[1, 3, 6, 1, 2, 1, 1, 1, 0]]), 'public', Version.V1),
    Buffer.from('303a020103300e02020001020300ffe30401040201030410300e0400020100020100040004000400301304000400a00d02023039020100020100300000', 'hex'),
  ];
}

function mutate(seed: Buffer): Buffer {
  switch (randomInt(6)) {
    case 0: return seed.subarray(0, randomInt(seed.length));
    case 1: {
      const b = Buffer.from(seed);
      for (let i = randomInt(1, 4); i > 0; i--) b[randomInt(b.length)] = randomInt(256);
      return b;
    }
    case 2: return randomBytes(randomInt(1, 600));
    case 3: return Buffer.concat([Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), randomBytes(randomInt(40))]);
    case 4: {
      // a deep OID of many 5-byte sub-ids
      const deep = Buffer.concat([Buffer.from([0x2b]), Buffer.alloc(900, 0x8f)]);
      return Buffer.concat([seed.subarray(0, 20), Buffer.from([0x06, 0x82, deep.length >> 8, deep.length & 0xff]), deep]);
    }
    default: return Buffer.concat([seed, randomBytes(randomInt(1, 8))]);
  }
}

test('decoders throw only VIRTMON_ERR_SNMP_DECODE on 10,000 mutated packets', () => {
  const base = seeds();
  let decoded = 0;
  for (let i = 0; i < 10_000; i++) {
    const packet = mutate(base[i % base.length]!);
    for (const decode of [decodeCommunityMessage, decodeV3]) {
      try {
        decode(packet);
        decoded++;
      } catch (err) {
        assert.ok(err instanceof VirtmonError && err.code === 'VIRTMON_ERR_SNMP_DECODE', String(err));
      }
    }
  }
  assert.ok(decoded > 0, 'some mutations still decode (they exercise the request path)');
});

test('10,000 hostile packets over UDP: the agent survives, counts, logs once, and still answers', async () => {
  const base = seeds();
  const { port } = fx.bridge.address()!;
  let sent = 0;
  for (let batch = 0; batch < 400; batch++) {
    for (let i = 0; i < 25; i++, sent++) sock.send(mutate(base[sent % base.length]!), port, '127.0.0.1');
    // a valid request per batch paces the flood, so the bounded in-flight queue is not just dropping
    await probe(port);
  }
  assert.equal(sent, 10_000);
  // loopback UDP may still drop a few under load; the agent must have seen nearly all of them
  assert.ok(fx.bridge.counters.inPkts >= 9_500, `received ${fx.bridge.counters.inPkts}`);
  assert.ok(fx.bridge.counters.inASNParseErrs > 1000, `parse errors ${fx.bridge.counters.inASNParseErrs}`);
  const warned = fx.logs.filter((l) => l.message.startsWith('malformed SNMP packet'));
  assert.equal(warned.length, 1);
  assert.equal(fx.logs.filter((l) => l.level === 'error').length, 0, JSON.stringify(fx.logs.filter((l) => l.level === 'error')));
  const reply = await probe(port);
  const m = decodeCommunityMessage(reply);
  assert.equal(m.pdu.varbinds[0]?.value.type, 'octets');
});

async function probe(port: number): Promise<Buffer> {
  const request = pdu(PduType.GET, [[1, 3, 6, 1, 2, 1, 1, 1, 0]]);
  for (let attempt = 0; attempt < 50; attempt++) {
    sock.send(msg(request), port, '127.0.0.1');
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => { setTimeout(resolve, 5); });
      const hit = replies.find((r) => {
        try {
          return decodeCommunityMessage(r).pdu.requestId === request.requestId;
        } catch {
          return false;
        }
      });
      if (hit !== undefined) return hit;
    }
  }
  throw new Error('the agent stopped answering');
}
