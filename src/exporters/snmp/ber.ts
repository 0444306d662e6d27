/**
 * A strict BER reader and a DER-style writer for the SNMP subset (RFC 3417 §8): definite lengths only,
 * bounded sizes, every read checked against its enclosing length. Anything else is a decode error
 * (VIRTMON_ERR_SNMP_DECODE), never an exception of another kind, so hostile packets cannot crash us.
 */
import { VirtmonError } from '../../domain/errors.ts';

/** BER tags used by SNMP. */
export const Tag = {
  INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30,
  IP_ADDRESS: 0x40, COUNTER32: 0x41, GAUGE32: 0x42, TIMETICKS: 0x43, OPAQUE: 0x44, COUNTER64: 0x46,
  NO_SUCH_OBJECT: 0x80, NO_SUCH_INSTANCE: 0x81, END_OF_MIB_VIEW: 0x82,
} as const;

/** Longest OID we accept (RFC 2578 §3.5: at most 128 sub-identifiers). */
export const MAX_OID_LENGTH = 128;

/** A decode failure with the reason. */
export const decodeError = (detail: string): VirtmonError => new VirtmonError('VIRTMON_ERR_SNMP_DECODE', detail);

/** One tag-length-value read from a buffer: content is `buf[start, end)`. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

/** Sequential reader over `buf[pos, end)`. */
export class BerReader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** True when every byte has been consumed. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads the next TLV header; its content is skipped over (the caller reads it through a sub-reader). */
  tlv(expected?: number): Tlv {
    if (this.pos + 2 > this.end) throw decodeError('truncated TLV header');
    const tag = this.buf[this.pos++]!;
    if ((tag & 0x1f) === 0x1f) throw decodeError('multi-byte tags are not used by SNMP');
    let len = this.buf[this.pos++]!;
    if (len === 0x80) throw decodeError('indefinite length');
    if (len > 0x80) {
      const n = len & 0x7f;
      if (n > 4 || this.pos + n > this.end) throw decodeError('bad length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[this.pos++]!;
    }
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw decodeError('length exceeds the enclosing value');
    this.pos = end;
    if (expected !== undefined && tag !== expected) {
      throw decodeError(`expected tag 0x${expected.toString(16)}, got 0x${tag.toString(16)}`);
    }
    return { tag, start, end };
  }

  /** A reader over the content of a constructed value. */
  enter(expected: number): BerReader {
    const t = this.tlv(expected);
    return new BerReader(this.buf, t.start, t.end);
  }

  /** A signed INTEGER that fits in 32 bits. */
  int(tag: number = Tag.INTEGER): number {
    const t = this.tlv(tag);
    return decodeSigned(this.buf, t);
  }

  /** An OCTET STRING (a copy). */
  octets(tag: number = Tag.OCTET_STRING): Buffer {
    const t = this.tlv(tag);
    return Buffer.from(this.buf.subarray(t.start, t.end));
  }

  /** An OBJECT IDENTIFIER as sub-ids. */
  oid(): number[] {
    const t = this.tlv(Tag.OID);
    return decodeOid(this.buf, t);
  }
}

/** Decodes a two's-complement INTEGER limited to 32 bits. */
export function decodeSigned(buf: Buffer, t: Tlv): number {
  const n = t.end - t.start;
  if (n < 1 || n > 4) throw decodeError('INTEGER length out of range');
  let v = 0;
  for (let i = t.start; i < t.end; i++) v = v * 256 + buf[i]!;
  return (buf[t.start]! & 0x80) !== 0 ? v - 2 ** (8 * n) : v;
}

/** Decodes an unsigned value of at most `maxBits` bits (32 for Counter32 etc., 64 for Counter64). */
export function decodeUnsigned(buf: Buffer, t: Tlv, maxBits: 32 | 64): bigint {
  const n = t.end - t.start;
  if (n < 1 || n > maxBits / 8 + 1) throw decodeError('unsigned length out of range');
  if ((buf[t.start]! & 0x80) !== 0) throw decodeError('negative unsigned value');
  let v = 0n;
  for (let i = t.start; i < t.end; i++) v = (v << 8n) | BigInt(buf[i]!);
  if (v >> BigInt(maxBits) !== 0n) throw decodeError('unsigned value too large');
  return v;
}

/** Decodes OID content (X.690 §8.19); sub-ids are limited to 32 bits. */
export function decodeOid(buf: Buffer, t: Tlv): number[] {
  if (t.end === t.start) throw decodeError('empty OID');
  const out: number[] = [];
  let v = 0;
  let first = true;
  for (let i = t.start; i < t.end; i++) {
    const b = buf[i]!;
    if (v === 0 && b === 0x80) throw decodeError('non-minimal OID sub-identifier');
    v = v * 128 + (b & 0x7f);
    if (v > 0xffffffff) throw decodeError('OID sub-identifier exceeds 32 bits');
    if ((b & 0x80) !== 0) {
      if (i === t.end - 1) throw decodeError('truncated OID');
      continue;
    }
    if (first) {
      const x = v < 40 ? 0 : v < 80 ? 1 : 2;
      out.push(x, v - 40 * x);
      first = false;
    } else out.push(v);
    v = 0;
    if (out.length > MAX_OID_LENGTH) throw decodeError('OID longer than 128 sub-identifiers');
  }
  return out;
}

/** Encodes a length in definite form. */
export function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV. */
export function tlv(tag: number, content: Buffer | readonly Buffer[]): Buffer {
  const body = Buffer.isBuffer(content) ? content : Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

/** A signed INTEGER in minimal two's complement. */
export function encodeInt(value: number, tag: number = Tag.INTEGER): Buffer {
  const bytes: number[] = [];
  let v = BigInt(Math.trunc(value));
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.unshift(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return tlv(tag, Buffer.from(bytes));
}

/** An unsigned value: minimal big-endian, 00 prepended when the top bit is set (RFC 3417). */
export function encodeUnsigned(value: bigint | number, tag: number): Buffer {
  let v = BigInt(value);
  if (v < 0n) v = 0n;
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if ((bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

/** An OBJECT IDENTIFIER. */
export function encodeOid(oid: readonly number[]): Buffer {
  const a = oid[0] ?? 0;
  const b = oid[1] ?? 0;
  const bytes: number[] = [];
  const push = (n: number): void => {
    const group: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f));
    bytes.push(...group);
  };
  push(a * 40 + b);
  for (let i = 2; i < oid.length; i++) push(oid[i]!);
  return tlv(Tag.OID, Buffer.from(bytes));
}

/** An OCTET STRING. */
export function encodeOctets(value: Buffer | string, tag: number = Tag.OCTET_STRING): Buffer {
  return tlv(tag, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
}

/** NULL or an exception value (noSuchObject …): a zero-length TLV. */
export function encodeEmpty(tag: number): Buffer {
  return Buffer.from([tag, 0]);
}
