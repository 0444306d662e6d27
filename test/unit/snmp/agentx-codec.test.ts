/** AgentX encoding (RFC 2741 §5): prefix-compressed OIDs, padded strings, Counter64 above 2^53, both byte orders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxReader, encodeAxOid, encodeAxVarBind, encodePdu, readHeader } from '../../../src/exporters/snmp/agentx-codec.ts';
import { axGetBulk, axGetNext } from '../../../src/exporters/snmp/agentx-reads.ts';
import { MibView } from '../../../src/exporters/snmp/mib-view.ts';
import { V } from '../../../src/exporters/snmp/values.ts';

test('OIDs under 1.3.6.1.x use the prefix byte', () => {
  assert.equal(encodeAxOid([1, 3, 6, 1, 4, 1, 36957]).toString('hex'), '02040000000000010000905d');
  assert.equal(encodeAxOid([1, 2, 3]).toString('hex'), '03000000000000010000000200000003');
  assert.equal(encodeAxOid([]).toString('hex'), '00000000');
});

test('varbinds round-trip, Counter64 exact above 2^53, octet strings padded', () => {
  const big = 2n ** 60n + 12345n;
  for (const value of [V.counter64(big), V.str('abcde'), V.int(-5), V.gauge32(0xffffffff), V.oid([1, 3, 6, 1, 6, 3, 1]), V.endOfMibView]) {
    const buf = encodeAxVarBind({ oid: [1, 3, 6, 1, 4, 1, 36957, 1], value });
    assert.equal(buf.length % 4, 0);
    const back = new AxReader(buf, true).varbind();
    assert.deepEqual(back, { oid: [1, 3, 6, 1, 4, 1, 36957, 1], value });
  }
});

test('a little-endian PDU from a master is read by its byte-order flag', () => {
  const be = encodePdu({ type: 6, flags: 0, sessionId: 7, transactionId: 8, packetId: 9 }, Buffer.alloc(4));
  assert.deepEqual(readHeader(be), { type: 6, flags: 0x10, sessionId: 7, transactionId: 8, packetId: 9, payloadLength: 4 });
  const le = Buffer.from(be);
  le[2] = 0;
  for (const at of [4, 8, 12, 16]) le.writeUInt32LE(be.readUInt32BE(at), at);
  assert.deepEqual(readHeader(le), { type: 6, flags: 0, sessionId: 7, transactionId: 8, packetId: 9, payloadLength: 4 });
  const payload = Buffer.alloc(8);
  payload.writeUInt32LE(0xdeadbeef, 0);
  payload.writeUInt32LE(1, 4);
  assert.equal(new AxReader(payload, false).u64(), (1n << 32n) | 0xdeadbeefn);
  assert.throws(() => readHeader(Buffer.from([2, 1, 0, 0, ...Array<number>(16).fill(0)])), /AgentX version/);
});

test('search ranges: include, exclusive end, endOfMibView with the range start; GetBulk rounds', () => {
  const view = new MibView([1, 2, 3].map((r) => ({ oid: [1, 1, r], value: V.int(r) })), [[1, 1]]);
  const r = axGetNext(view, [
    { start: [1, 1, 2], include: true, end: [] },
    { start: [1, 1, 2], include: false, end: [1, 1, 3] },
    { start: [1, 1, 3], include: false, end: [] },
  ]);
  assert.deepEqual(r.map((v) => `${v.oid.join('.')}=${v.value.type}`), ['1.1.2=integer', '1.1.2=endOfMibView', '1.1.3=endOfMibView']);
  const bulk = axGetBulk(view, [{ start: [1], include: false, end: [] }], 0, 10);
  assert.deepEqual(bulk.map((v) => v.oid.join('.')), ['1.1.1', '1.1.2', '1.1.3', '1.1.3']);
});
