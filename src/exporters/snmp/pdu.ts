/** SNMP PDUs (RFC 3416 §3) and the community-based message (RFC 3417/1901): decode and encode. */
import { BerReader, Tag, decodeError, encodeInt, encodeOctets, tlv } from './ber.ts';
import { encodeVarBind, readVarBinds, type VarBind } from './values.ts';

/** PDU tags. */
export const PduType = {
  GET: 0xa0, GET_NEXT: 0xa1, RESPONSE: 0xa2, SET: 0xa3, GET_BULK: 0xa5, INFORM: 0xa6, TRAP: 0xa7, REPORT: 0xa8,
} as const;
/** One of the PDU tags. */
export type PduTypeCode = (typeof PduType)[keyof typeof PduType];

/** error-status values (RFC 3416 §3). */
export const ErrorStatus = {
  noError: 0, tooBig: 1, genErr: 5, noAccess: 6, wrongType: 7, wrongLength: 8, wrongEncoding: 9, wrongValue: 10,
  noCreation: 11, inconsistentValue: 12, resourceUnavailable: 13, commitFailed: 14, undoFailed: 15,
  authorizationError: 16, notWritable: 17, inconsistentName: 18,
} as const;
/** One of the error-status values. */
export type ErrorStatusCode = (typeof ErrorStatus)[keyof typeof ErrorStatus];

/** Message versions on the wire. */
export const Version = { V1: 0, V2C: 1, V3: 3 } as const;

/** Most varbinds we decode in one PDU: bounds work done for one packet. */
export const MAX_VARBINDS = 256;

/** A decoded PDU. For GetBulk, `errorStatus` is non-repeaters and `errorIndex` max-repetitions. */
export interface Pdu {
  readonly type: PduTypeCode;
  readonly requestId: number;
  readonly errorStatus: number;
  readonly errorIndex: number;
  readonly varbinds: readonly VarBind[];
}

const PDU_TAGS = new Set<number>(Object.values(PduType));

/** Reads a PDU (any of the v2 types). */
export function readPdu(r: BerReader): Pdu {
  const t = r.tlv();
  if (!PDU_TAGS.has(t.tag)) throw decodeError(`unknown PDU type 0x${t.tag.toString(16)}`);
  const p = new BerReader(r.buf, t.start, t.end);
  const requestId = p.int();
  const errorStatus = p.int();
  const errorIndex = p.int();
  const varbinds = readVarBinds(p, MAX_VARBINDS);
  if (!p.done) throw decodeError('trailing bytes in the PDU');
  return { type: t.tag as PduTypeCode, requestId, errorStatus, errorIndex, varbinds };
}

/** BER form of a PDU. */
export function encodePdu(pdu: Pdu): Buffer {
  return tlv(pdu.type, [
    encodeInt(pdu.requestId), encodeInt(pdu.errorStatus), encodeInt(pdu.errorIndex),
    tlv(Tag.SEQUENCE, pdu.varbinds.map(encodeVarBind)),
  ]);
}

/** A v1/v2c message. */
export interface CommunityMessage {
  readonly version: number;
  readonly community: Buffer;
  readonly pdu: Pdu;
}

/** Reads the version of any SNMP message without decoding the rest. */
export function peekVersion(buf: Buffer): number {
  const msg = new BerReader(buf).enter(Tag.SEQUENCE);
  return msg.int();
}

/** Decodes a v2c message. */
export function decodeCommunityMessage(buf: Buffer): CommunityMessage {
  const outer = new BerReader(buf);
  const msg = outer.enter(Tag.SEQUENCE);
  if (!outer.done) throw decodeError('trailing bytes after the message');
  const version = msg.int();
  const community = msg.octets();
  const pdu = readPdu(msg);
  if (!msg.done) throw decodeError('trailing bytes in the message');
  return { version, community, pdu };
}

/** Encodes a v2c message. */
export function encodeCommunityMessage(m: CommunityMessage): Buffer {
  return tlv(Tag.SEQUENCE, [encodeInt(m.version), encodeOctets(m.community), encodePdu(m.pdu)]);
}

/** The PDU tag of a v1/v2c message without decoding the PDU (undefined for v3 or garbage). */
export function peekPduType(buf: Buffer): number | undefined {
  try {
    const msg = new BerReader(buf).enter(Tag.SEQUENCE);
    if (msg.int() === Version.V3) return undefined;
    msg.octets();
    return msg.tlv().tag;
  } catch {
    return undefined;
  }
}
