/**
 * AgentX PDUs (RFC 2741 §6): the 20-byte header, OIDs with the 1.3.6.1 prefix compression, octet
 * strings padded to 4, varbinds and search ranges, in either byte order on input (the header's
 * NETWORK_BYTE_ORDER flag) and network order on output. Bad input is a decode error, never a crash.
 */
import { decodeError } from './ber.ts';
import type { Oid } from './oid.ts';
import { V, type SnmpValue, type VarBind } from './values.ts';

/** AgentX PDU types. */
export const AxType = {
  OPEN: 1, CLOSE: 2, REGISTER: 3, UNREGISTER: 4, GET: 5, GET_NEXT: 6, GET_BULK: 7, TEST_SET: 8, COMMIT_SET: 9,
  UNDO_SET: 10, CLEANUP_SET: 11, NOTIFY: 12, PING: 13, INDEX_ALLOCATE: 14, INDEX_DEALLOCATE: 15, ADD_AGENT_CAPS: 16,
  REMOVE_AGENT_CAPS: 17, RESPONSE: 18,
} as const;

/** Header flags. */
export const AxFlag = { INSTANCE_REGISTRATION: 1, NEW_INDEX: 2, ANY_INDEX: 4, NON_DEFAULT_CONTEXT: 8, NETWORK_BYTE_ORDER: 0x10 } as const;

/** Largest payload we accept: far above any real PDU, small enough to bound memory. */
export const MAX_PAYLOAD = 1 << 20;
/** Every AgentX PDU starts with a 20-byte header. */
export const HEADER_LENGTH = 20;

/** A PDU header. */
export interface AxHeader {
  readonly type: number;
  readonly flags: number;
  readonly sessionId: number;
  readonly transactionId: number;
  readonly packetId: number;
  readonly payloadLength: number;
}

/** Reads a header (the caller checks there are 20 bytes). */
export function readHeader(buf: Buffer): AxHeader {
  if (buf[0] !== 1) throw decodeError(`AgentX version ${buf[0]}`);
  const flags = buf[2]!;
  const be = (flags & AxFlag.NETWORK_BYTE_ORDER) !== 0;
  const u32 = (o: number): number => (be ? buf.readUInt32BE(o) : buf.readUInt32LE(o));
  const payloadLength = u32(16);
  if (payloadLength > MAX_PAYLOAD || payloadLength % 4 !== 0) throw decodeError('bad AgentX payload length');
  return { type: buf[1]!, flags, sessionId: u32(4), transactionId: u32(8), packetId: u32(12), payloadLength };
}

/** Encodes a PDU in network byte order. */
export function encodePdu(h: Omit<AxHeader, 'payloadLength'>, payload: Buffer): Buffer {
  const head = Buffer.alloc(HEADER_LENGTH);
  head[0] = 1;
  head[1] = h.type;
  head[2] = h.flags | AxFlag.NETWORK_BYTE_ORDER;
  head.writeUInt32BE(h.sessionId >>> 0, 4);
  head.writeUInt32BE(h.transactionId >>> 0, 8);
  head.writeUInt32BE(h.packetId >>> 0, 12);
  head.writeUInt32BE(payload.length, 16);
  return Buffer.concat([head, payload]);
}

/** Sequential payload reader in the PDU's byte order. */
export class AxReader {
  readonly #buf: Buffer;
  readonly #be: boolean;
  pos = 0;

  constructor(payload: Buffer, bigEndian: boolean) {
    this.#buf = payload;
    this.#be = bigEndian;
  }

  get done(): boolean {
    return this.pos >= this.#buf.length;
  }

  #need(n: number): void {
    if (this.pos + n > this.#buf.length) throw decodeError('truncated AgentX payload');
  }

  u8(): number { this.#need(1); return this.#buf[this.pos++]!; }
  u16(): number { this.#need(2); const v = this.#be ? this.#buf.readUInt16BE(this.pos) : this.#buf.readUInt16LE(this.pos); this.pos += 2; return v; }
  u32(): number { this.#need(4); const v = this.#be ? this.#buf.readUInt32BE(this.pos) : this.#buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  u64(): bigint { const a = BigInt(this.u32()); const b = BigInt(this.u32()); return this.#be ? (a << 32n) | b : (b << 32n) | a; }

  /** An OID and its include flag. */
  oid(): { oid: number[]; include: boolean } {
    const n = this.u8();
    const prefix = this.u8();
    const include = this.u8() !== 0;
    this.u8();
    if (n > 128) throw decodeError('AgentX OID too long');
    const oid: number[] = prefix !== 0 ? [1, 3, 6, 1, prefix] : [];
    for (let i = 0; i < n; i++) oid.push(this.u32());
    return { oid, include };
  }

  octets(): Buffer {
    const len = this.u32();
    this.#need(len);
    const out = Buffer.from(this.#buf.subarray(this.pos, this.pos + len));
    this.pos += len + ((4 - (len % 4)) % 4);
    if (this.pos > this.#buf.length) throw decodeError('truncated AgentX octet string');
    return out;
  }

  /** Skips the context octet string when the flag says there is one. */
  context(flags: number): void {
    if ((flags & AxFlag.NON_DEFAULT_CONTEXT) !== 0) this.octets();
  }

  varbind(): VarBind {
    const type = this.u16();
    this.u16();
    const { oid } = this.oid();
    return { oid, value: this.#value(type) };
  }

  #value(type: number): SnmpValue {
    switch (type) {
      case 2: return V.int(this.u32() | 0);
      case 4: return V.str(this.octets());
      case 5: return V.null;
      case 6: return V.oid(this.oid().oid);
      case 64: return { type: 'ipaddress', value: this.octets() };
      case 65: return V.counter32(this.u32());
      case 66: return V.gauge32(this.u32());
      case 67: return V.timeticks(this.u32());
      case 68: return { type: 'opaque', value: this.octets() };
      case 70: return V.counter64(this.u64());
      case 128: return V.noSuchObject;
      case 129: return V.noSuchInstance;
      case 130: return V.endOfMibView;
      default: throw decodeError(`unknown AgentX varbind type ${type}`);
    }
  }

  /** A SearchRange: start (with include) and end (empty = unbounded). */
  range(): { start: Oid; include: boolean; end: Oid } {
    const s = this.oid();
    const e = this.oid();
    return { start: s.oid, include: s.include, end: e.oid };
  }
}

const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
const u16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(n & 0xffff); return b; };
/** 4 bytes big-endian. */
export const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };

/** An AgentX OID (prefix-compressed when it starts with 1.3.6.1.x, x < 256). */
export function encodeAxOid(oid: Oid, include = false): Buffer {
  const compress = oid.length >= 5 && oid[0] === 1 && oid[1] === 3 && oid[2] === 6 && oid[3] === 1 && oid[4]! > 0 && oid[4]! < 256;
  const rest = compress ? oid.slice(5) : oid;
  return Buffer.concat([u8(rest.length), u8(compress ? oid[4]! : 0), u8(include ? 1 : 0), u8(0), ...rest.map(u32)]);
}

/** An AgentX octet string, padded to a multiple of 4. */
export function encodeAxOctets(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([u32(b.length), b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
}

const TYPE_CODE: Record<SnmpValue['type'], number> = {
  integer: 2, octets: 4, null: 5, oid: 6, ipaddress: 64, counter32: 65, gauge32: 66, timeticks: 67, opaque: 68,
  counter64: 70, noSuchObject: 128, noSuchInstance: 129, endOfMibView: 130,
};

/** An AgentX varbind; Counter64 goes as 8 bytes from the bigint (exact above 2^53). */
export function encodeAxVarBind(vb: VarBind): Buffer {
  const v = vb.value;
  const head = Buffer.concat([u16(TYPE_CODE[v.type]), u16(0), encodeAxOid(vb.oid)]);
  switch (v.type) {
    case 'integer': { const b = Buffer.alloc(4); b.writeInt32BE(v.value | 0); return Buffer.concat([head, b]); }
    case 'counter32': case 'gauge32': case 'timeticks': return Buffer.concat([head, u32(v.value)]);
    case 'counter64': { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt.asUintN(64, v.value)); return Buffer.concat([head, b]); }
    case 'octets': case 'ipaddress': case 'opaque': return Buffer.concat([head, encodeAxOctets(v.value)]);
    case 'oid': return Buffer.concat([head, encodeAxOid(v.value)]);
    case 'null': case 'noSuchObject': case 'noSuchInstance': case 'endOfMibView': return head;
  }
}

/** Response payload: sysUpTime, error, index, varbinds. */
export function responsePayload(uptime: number, error: number, index: number, varbinds: readonly VarBind[]): Buffer {
  return Buffer.concat([u32(uptime), u16(error), u16(index), ...varbinds.map(encodeAxVarBind)]);
}

/** Open payload: timeout, id, description. */
export function openPayload(timeoutS: number, id: Oid, descr: string): Buffer {
  return Buffer.concat([u8(timeoutS), Buffer.alloc(3), encodeAxOid(id), encodeAxOctets(descr)]);
}

/** Register payload for one subtree. */
export function registerPayload(subtree: Oid, priority = 127, timeoutS = 0): Buffer {
  return Buffer.concat([u8(timeoutS), u8(priority), u8(0), u8(0), encodeAxOid(subtree)]);
}

/** Close payload with a reason (1 other, 5 shutdown). */
export function closePayload(reason: number): Buffer {
  return Buffer.concat([u8(reason), Buffer.alloc(3)]);
}
