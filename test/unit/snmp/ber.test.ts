/** BER encodings from RFC 3417 / X.690 that managers depend on, and strict decoding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerReader, Tag, decodeOid, encodeInt, encodeOid, encodeUnsigned } from '../../../src/exporters/snmp/ber.ts';
import { compareOid } from '../../../src/exporters/snmp/oid.ts';
import { encodeValue, readValue, V } from '../../../src/exporters/snmp/values.ts';

const hex = (b: Buffer): string => b.toString('hex');

test('unsigned values get a leading 00 when the top bit is set; Counter64 can need 9 octets', () => {
  assert.equal(hex(encodeUnsigned(0xffffffff, Tag.COUNTER32)), '410500ffffffff');
  assert.equal(hex(encodeUnsigned(0, Tag.GAUGE32)), '420100');
  assert.equal(hex(encodeUnsigned(0x7f, Tag.TIMETICKS)), '43017f');
  assert.equal(hex(encodeUnsigned(2n ** 64n - 1n, Tag.COUNTER64)), '460900ffffffffffffffff');
  assert.equal(hex(encodeValue(V.counter64(2n ** 60n + 12345n))), '46081000000000003039');
});

test('Counter64 round-trips exactly above 2^53', () => {
  for (const v of [0n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n]) {
    const back = readValue(new BerReader(encodeValue(V.counter64(v))));
    assert.deepEqual(back, { type: 'counter64', value: v });
  }
});

test('INTEGER is minimal two\'s complement', () => {
  assert.equal(hex(encodeInt(0)), '020100');
  assert.equal(hex(encodeInt(127)), '02017f');
  assert.equal(hex(encodeInt(128)), '02020080');
  assert.equal(hex(encodeInt(-1)), '0201ff');
  assert.equal(hex(encodeInt(-129)), '0202ff7f');
  assert.equal(hex(encodeInt(2147483647)), '02047fffffff');
  assert.equal(readValue(new BerReader(encodeInt(-2147483648))).type, 'integer');
  assert.deepEqual(readValue(new BerReader(encodeInt(-2147483648))), { type: 'integer', value: -2147483648 });
});

test('OIDs: first octet 40·X+Y, base-128 sub-ids, 32-bit limit, truncation refused', () => {
  assert.equal(hex(encodeOid([1, 3, 6, 1, 4, 1, 36957])), '06082b0601040182a05d');
  const t = { tag: 6, start: 0, end: 3 };
  assert.deepEqual(decodeOid(Buffer.from([0x2b, 0x8f, 0x7f]), t), [1, 3, 2047]);
  assert.throws(() => decodeOid(Buffer.from([0x2b, 0x8f]), { tag: 6, start: 0, end: 2 }), /truncated OID/);
  assert.throws(() => decodeOid(Buffer.from([0x2b, 0x90, 0x80, 0x80, 0x80, 0x00]), { tag: 6, start: 0, end: 6 }), /32 bits/);
  const max = encodeOid([1, 3, 0xffffffff]);
  assert.deepEqual(new BerReader(max).oid(), [1, 3, 0xffffffff]);
});

test('lengths: long form read, indefinite and oversized refused', () => {
  assert.deepEqual(new BerReader(Buffer.concat([Buffer.from([0x04, 0x81, 0x80]), Buffer.alloc(128, 0x61)])).octets().length, 128);
  assert.throws(() => new BerReader(Buffer.from([0x30, 0x80, 0, 0])).tlv(), /indefinite/);
  assert.throws(() => new BerReader(Buffer.from([0x04, 0x05, 0x61])).tlv(), /exceeds/);
  assert.throws(() => new BerReader(Buffer.from([0x04, 0x85, 1, 1, 1, 1, 1])).tlv(), /bad length/);
});

test('OID order: unsigned sub-ids left to right, a prefix first', () => {
  assert.equal(compareOid([1, 3, 6], [1, 3, 6, 0]), -1);
  assert.equal(compareOid([1, 3, 200], [1, 3, 6, 1]), 1);
  assert.equal(compareOid([1, 3, 0xffffffff], [1, 3, 1]), 1);
  assert.equal(compareOid([1, 3], [1, 3]), 0);
});
