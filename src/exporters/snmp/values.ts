/**
 * SNMP values as the request path handles them, with their BER form. 64-bit counters are bigint end to
 * end, so Counter64 is exact above 2^53 (npm net-snmp's Agent crashes on a bigint there, deviation 1).
 */
import type { BerReader } from './ber.ts';
import {
  Tag, decodeError, decodeOid, decodeSigned, decodeUnsigned, encodeEmpty, encodeInt, encodeOctets,
  encodeOid, encodeUnsigned, tlv,
} from './ber.ts';

/** A typed SNMP value, or one of the v2 exceptions. */
export type SnmpValue =
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'octets'; readonly value: Buffer }
  | { readonly type: 'null' }
  | { readonly type: 'oid'; readonly value: readonly number[] }
  | { readonly type: 'ipaddress'; readonly value: Buffer }
  | { readonly type: 'counter32' | 'gauge32' | 'timeticks'; readonly value: number }
  | { readonly type: 'opaque'; readonly value: Buffer }
  | { readonly type: 'counter64'; readonly value: bigint }
  | { readonly type: 'noSuchObject' | 'noSuchInstance' | 'endOfMibView' };

/** A variable binding. */
export interface VarBind {
  readonly oid: readonly number[];
  readonly value: SnmpValue;
}

/** Shorthands. */
export const V = {
  int: (value: number): SnmpValue => ({ type: 'integer', value }),
  str: (value: string | Buffer): SnmpValue => ({ type: 'octets', value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value }),
  oid: (value: readonly number[]): SnmpValue => ({ type: 'oid', value }),
  counter32: (value: number): SnmpValue => ({ type: 'counter32', value: value >>> 0 }),
  gauge32: (value: number): SnmpValue => ({ type: 'gauge32', value: clamp32(value) }),
  timeticks: (value: number): SnmpValue => ({ type: 'timeticks', value: value >>> 0 }),
  counter64: (value: bigint): SnmpValue => ({ type: 'counter64', value: BigInt.asUintN(64, value) }),
  null: { type: 'null' } as SnmpValue,
  noSuchObject: { type: 'noSuchObject' } as SnmpValue,
  noSuchInstance: { type: 'noSuchInstance' } as SnmpValue,
  endOfMibView: { type: 'endOfMibView' } as SnmpValue,
} as const;

/** Clamps to the Unsigned32/Gauge32 range (RFC 2578: a gauge latches at its maximum). */
export function clamp32(n: number): number {
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.min(Math.floor(n), 0xffffffff);
}

/** True for noSuchObject, noSuchInstance and endOfMibView. */
export function isException(v: SnmpValue): boolean {
  return v.type === 'noSuchObject' || v.type === 'noSuchInstance' || v.type === 'endOfMibView';
}

/** BER form of a value. */
export function encodeValue(v: SnmpValue): Buffer {
  switch (v.type) {
    case 'integer': return encodeInt(v.value);
    case 'octets': return encodeOctets(v.value);
    case 'null': return encodeEmpty(Tag.NULL);
    case 'oid': return encodeOid(v.value);
    case 'ipaddress': return encodeOctets(v.value, Tag.IP_ADDRESS);
    case 'counter32': return encodeUnsigned(v.value, Tag.COUNTER32);
    case 'gauge32': return encodeUnsigned(v.value, Tag.GAUGE32);
    case 'timeticks': return encodeUnsigned(v.value, Tag.TIMETICKS);
    case 'opaque': return encodeOctets(v.value, Tag.OPAQUE);
    case 'counter64': return encodeUnsigned(v.value, Tag.COUNTER64);
    case 'noSuchObject': return encodeEmpty(Tag.NO_SUCH_OBJECT);
    case 'noSuchInstance': return encodeEmpty(Tag.NO_SUCH_INSTANCE);
    case 'endOfMibView': return encodeEmpty(Tag.END_OF_MIB_VIEW);
  }
}

/** Reads one value of any SNMP type. */
export function readValue(r: BerReader): SnmpValue {
  const t = r.tlv();
  const content = (): Buffer => Buffer.from(r.buf.subarray(t.start, t.end));
  switch (t.tag) {
    case Tag.INTEGER: return { type: 'integer', value: decodeSigned(r.buf, t) };
    case Tag.OCTET_STRING: return { type: 'octets', value: content() };
    case Tag.NULL: return V.null;
    case Tag.OID: return { type: 'oid', value: decodeOid(r.buf, t) };
    case Tag.IP_ADDRESS:
      if (t.end - t.start !== 4) throw decodeError('IpAddress must be 4 octets');
      return { type: 'ipaddress', value: content() };
    case Tag.COUNTER32: return { type: 'counter32', value: Number(decodeUnsigned(r.buf, t, 32)) };
    case Tag.GAUGE32: return { type: 'gauge32', value: Number(decodeUnsigned(r.buf, t, 32)) };
    case Tag.TIMETICKS: return { type: 'timeticks', value: Number(decodeUnsigned(r.buf, t, 32)) };
    case Tag.OPAQUE: return { type: 'opaque', value: content() };
    case Tag.COUNTER64: return { type: 'counter64', value: decodeUnsigned(r.buf, t, 64) };
    case Tag.NO_SUCH_OBJECT: return V.noSuchObject;
    case Tag.NO_SUCH_INSTANCE: return V.noSuchInstance;
    case Tag.END_OF_MIB_VIEW: return V.endOfMibView;
    default: throw decodeError(`unknown value tag 0x${t.tag.toString(16)}`);
  }
}

/** BER form of a varbind. */
export function encodeVarBind(vb: VarBind): Buffer {
  return tlv(Tag.SEQUENCE, [encodeOid(vb.oid), encodeValue(vb.value)]);
}

/** Reads a VarBindList. */
export function readVarBinds(r: BerReader, max: number): VarBind[] {
  const list = r.enter(Tag.SEQUENCE);
  const out: VarBind[] = [];
  while (!list.done) {
    if (out.length >= max) throw decodeError(`more than ${max} varbinds`);
    const vb = list.enter(Tag.SEQUENCE);
    const oid = vb.oid();
    const value = readValue(vb);
    if (!vb.done) throw decodeError('trailing bytes in a varbind');
    out.push({ oid, value });
  }
  return out;
}
