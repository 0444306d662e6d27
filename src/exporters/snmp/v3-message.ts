/**
 * The SNMPv3 message (RFC 3412 §6) with USM security parameters (RFC 3414 §2.4): decoding keeps the
 * absolute position of msgAuthenticationParameters so the MAC can be checked over the raw bytes.
 */
import { BerReader, Tag, decodeError, encodeInt, encodeOctets, encodeLength, tlv } from './ber.ts';
import { encodePdu, readPdu, type Pdu } from './pdu.ts';

/** msgFlags bits. */
export const Flags = { AUTH: 1, PRIV: 2, REPORTABLE: 4 } as const;

/** A decoded v3 message; `data` is the ScopedPDU bytes or the encrypted octets. */
export interface V3Message {
  readonly msgId: number;
  readonly maxSize: number;
  readonly flags: number;
  readonly securityModel: number;
  readonly engineId: Buffer;
  readonly boots: number;
  readonly time: number;
  readonly userName: string;
  readonly authParams: Buffer;
  /** Absolute offset of the auth parameters' content in the raw message. */
  readonly authOffset: number;
  readonly privParams: Buffer;
  /** Plain ScopedPDU (when not encrypted) or ciphertext. */
  readonly data: Buffer;
  readonly encrypted: boolean;
}

/** A ScopedPDU. */
export interface ScopedPdu {
  readonly contextEngineId: Buffer;
  readonly contextName: Buffer;
  readonly pdu: Pdu;
}

/** Decodes the outer v3 message. */
export function decodeV3(buf: Buffer): V3Message {
  const outer = new BerReader(buf);
  const msg = outer.enter(Tag.SEQUENCE);
  if (msg.int() !== 3) throw decodeError('not a v3 message');
  const g = msg.enter(Tag.SEQUENCE);
  const msgId = g.int();
  const maxSize = g.int();
  const flagsBuf = g.octets();
  const securityModel = g.int();
  if (flagsBuf.length !== 1) throw decodeError('msgFlags must be one octet');
  const sp = msg.enter(Tag.OCTET_STRING);
  const usm = sp.enter(Tag.SEQUENCE);
  const engineId = usm.octets();
  const boots = usm.int();
  const time = usm.int();
  const userName = usm.octets().toString('utf8');
  const at = usm.tlv(Tag.OCTET_STRING);
  const privParams = usm.octets();
  const dataTlv = msg.tlv();
  if (dataTlv.tag !== Tag.SEQUENCE && dataTlv.tag !== Tag.OCTET_STRING) throw decodeError('bad msgData');
  const encrypted = dataTlv.tag === Tag.OCTET_STRING;
  const data = encrypted ? Buffer.from(buf.subarray(dataTlv.start, dataTlv.end)) : Buffer.from(buf.subarray(dataTlv.start - headerLength(dataTlv.end - dataTlv.start), dataTlv.end));
  return {
    msgId, maxSize, flags: flagsBuf[0]!, securityModel, engineId, boots, time, userName,
    authParams: Buffer.from(buf.subarray(at.start, at.end)), authOffset: at.start, privParams, data, encrypted,
  };
}

const headerLength = (len: number): number => 1 + encodeLength(len).length;

/** Decodes a ScopedPDU (trailing bytes after it are ignored: block-cipher padding). */
export function decodeScopedPdu(buf: Buffer): ScopedPdu {
  const s = new BerReader(buf).enter(Tag.SEQUENCE);
  const contextEngineId = s.octets();
  const contextName = s.octets();
  const pdu = readPdu(s);
  return { contextEngineId, contextName, pdu };
}

/** Encodes a ScopedPDU. */
export function encodeScopedPdu(s: ScopedPdu): Buffer {
  return tlv(Tag.SEQUENCE, [encodeOctets(s.contextEngineId), encodeOctets(s.contextName), encodePdu(s.pdu)]);
}

/** Fields of an outgoing message; `data` is the encoded ScopedPDU or the ciphertext. */
export interface V3Out {
  readonly msgId: number;
  readonly maxSize: number;
  readonly flags: number;
  readonly engineId: Buffer;
  readonly boots: number;
  readonly time: number;
  readonly userName: string;
  readonly macLength: number;
  readonly privParams: Buffer;
  readonly data: Buffer;
  readonly encrypted: boolean;
}

/** Encodes a message with zeroed auth parameters; returns it and where the MAC goes. */
export function encodeV3(m: V3Out): { message: Buffer; authOffset: number } {
  const head = [
    encodeOctets(m.engineId), encodeInt(m.boots), encodeInt(m.time), encodeOctets(m.userName),
  ];
  const authTlv = encodeOctets(Buffer.alloc(m.macLength));
  const usmContent = Buffer.concat([...head, authTlv, encodeOctets(m.privParams)]);
  const usm = tlv(Tag.SEQUENCE, usmContent);
  const sp = encodeOctets(usm);
  const version = encodeInt(3);
  const global = tlv(Tag.SEQUENCE, [encodeInt(m.msgId), encodeInt(m.maxSize), encodeOctets(Buffer.from([m.flags])), encodeInt(3)]);
  const data = m.encrypted ? encodeOctets(m.data) : m.data;
  const content = Buffer.concat([version, global, sp, data]);
  const message = tlv(Tag.SEQUENCE, content);
  const outerHeader = message.length - content.length;
  const spHeader = sp.length - usm.length;
  const usmHeader = usm.length - usmContent.length;
  const authOffset = outerHeader + version.length + global.length + spHeader + usmHeader
    + Buffer.concat(head).length + (authTlv.length - m.macLength);
  return { message, authOffset };
}
