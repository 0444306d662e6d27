/**
 * The authoritative USM engine of the standalone agent (RFC 3414 §3.2): engine discovery, unknown
 * users, wrong digests, the 150 s time window and decryption errors all answer with the matching
 * usmStats Report. Unlike npm net-snmp's agent (deviation 8: fixed engineBoots 0 / engineTime 10, no
 * notInTimeWindow) a replayed message older than the window is refused.
 */
import { randomBytes } from 'node:crypto';
import { decodeError } from './ber.ts';
import { type Answer, type UsmHandler } from './usm-handler.ts';
import { ErrorStatus, PduType, type Pdu } from './pdu.ts';
import { TOO_BIG } from './read-ops.ts';
import type { EngineInfo, SnmpCounters } from './system-mib.ts';
import { UsmStat } from './system-mib.ts';
import { MAC_LENGTH, aesDecrypt, aesEncrypt, localizedKey, mac, macMatches, type AuthProtocol } from './usm-crypto.ts';
import { isRequest } from './udp-agent.ts';
import { Flags, decodeScopedPdu, decodeV3, encodeScopedPdu, encodeV3, type V3Message } from './v3-message.ts';
import { V } from './values.ts';

/** A user with localised keys. */
export interface UsmUser {
  readonly name: string;
  readonly writable: boolean;
  readonly auth: AuthProtocol;
  readonly authKey: Buffer;
  readonly privKey?: Buffer;
}

/** A configured user's passwords, turned into keys for `engineId`. */
export function makeUser(u: { name: string; access: 'ro' | 'rw'; authProtocol: AuthProtocol; authPassword: string; privProtocol: 'none' | 'aes'; privPassword?: string }, engineId: Buffer): UsmUser {
  return {
    name: u.name, writable: u.access === 'rw', auth: u.authProtocol,
    authKey: localizedKey(u.authProtocol, u.authPassword, engineId),
    ...(u.privProtocol === 'aes' ? { privKey: localizedKey(u.authProtocol, u.privPassword ?? u.authPassword, engineId) } : {}),
  };
}

/** RFC 3414 §3.2 step 7: the window is 150 seconds. */
const TIME_WINDOW = 150;
const ENVELOPE_SLACK = 48;

/** Settings of {@link UsmAgent}. */
export interface UsmAgentOptions {
  readonly engineId: Buffer;
  readonly boots: number;
  /** snmpEngineTime: seconds since the engine (re)started. */
  readonly time: () => number;
  readonly users: readonly UsmUser[];
  readonly counters: SnmpCounters;
  readonly maxMessageSize: number;
}

/** v3 request handling and v3 notification encoding. */
export class UsmAgent implements UsmHandler {
  readonly #o: UsmAgentOptions;
  readonly #users: ReadonlyMap<string, UsmUser>;

  constructor(options: UsmAgentOptions) {
    this.#o = options;
    this.#users = new Map(options.users.map((u) => [u.name, u]));
  }

  /** snmpEngine group values. */
  engineInfo(): EngineInfo {
    return { engineId: this.#o.engineId, boots: this.#o.boots, time: this.#o.time(), maxMessageSize: this.#o.maxMessageSize };
  }

  /** Answers one v3 message (undefined: drop silently). */
  async handle(raw: Buffer, answer: Answer): Promise<Buffer | undefined> {
    const m = decodeV3(raw);
    if (m.securityModel !== 3) return undefined;
    const wantAuth = (m.flags & Flags.AUTH) !== 0;
    const wantPriv = (m.flags & Flags.PRIV) !== 0;
    if (wantPriv && !wantAuth) return undefined;
    const c = this.#o.counters;
    const report = (stat: keyof typeof UsmStat, user?: UsmUser): Buffer | undefined => {
      if ((m.flags & Flags.REPORTABLE) === 0) return undefined;
      const requestId = m.encrypted ? 0 : safeRequestId(m.data);
      const pdu: Pdu = { type: PduType.REPORT, requestId, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: UsmStat[stat], value: V.counter32(c[stat]) }] };
      return this.encode(pdu, m.msgId, user, false, m.userName);
    };
    if (!m.engineId.equals(this.#o.engineId)) {
      c.unknownEngineIDs++;
      return report('unknownEngineIDs');
    }
    const user = this.#users.get(m.userName);
    if (user === undefined) {
      c.unknownUserNames++;
      return report('unknownUserNames');
    }
    // The user's configured level is the minimum (rouser/rwuser … priv in snmpd terms).
    if (!wantAuth || (user.privKey !== undefined) !== wantPriv) {
      c.unsupportedSecLevels++;
      return report('unsupportedSecLevels');
    }
    const zeroed = Buffer.from(raw);
    zeroed.fill(0, m.authOffset, m.authOffset + m.authParams.length);
    if (!macMatches(user.auth, user.authKey, zeroed, m.authParams)) {
      c.wrongDigests++;
      return report('wrongDigests');
    }
    if (m.boots !== this.#o.boots || Math.abs(m.time - this.#o.time()) > TIME_WINDOW) {
      c.notInTimeWindows++;
      if ((m.flags & Flags.REPORTABLE) === 0) return undefined;
      const pdu: Pdu = { type: PduType.REPORT, requestId: 0, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: UsmStat.notInTimeWindows, value: V.counter32(c.notInTimeWindows) }] };
      return this.encode(pdu, m.msgId, user, false);
    }
    const scoped = this.#open(m, user);
    if (scoped === undefined) {
      c.decryptionErrors++;
      return report('decryptionErrors', user);
    }
    if (!isRequest(scoped.pdu)) return undefined;
    const maxSize = Math.min(this.#o.maxMessageSize, Math.max(m.maxSize, 484));
    const respond = (r: { errorStatus: number; errorIndex: number; varbinds: Pdu['varbinds'] }): Buffer =>
      this.encode({ type: PduType.RESPONSE, requestId: scoped.pdu.requestId, ...r }, m.msgId, user, wantPriv);
    const budget = maxSize - respond(TOO_BIG).length - ENVELOPE_SLACK;
    const result = await answer(scoped.pdu, { writable: user.writable, actor: `v3 user ${user.name}` }, budget);
    const reply = respond(result);
    return reply.length > maxSize ? respond({ ...TOO_BIG, errorStatus: ErrorStatus.tooBig }) : reply;
  }

  #open(m: V3Message, user: UsmUser): ReturnType<typeof decodeScopedPdu> | undefined {
    try {
      if (!m.encrypted) return (m.flags & Flags.PRIV) === 0 ? decodeScopedPdu(m.data) : undefined;
      if (user.privKey === undefined || m.privParams.length !== 8) return undefined;
      return decodeScopedPdu(aesDecrypt(user.privKey, m.boots, m.time, m.privParams, m.data));
    } catch {
      return undefined;
    }
  }

  /** Encodes a PDU as this engine, authenticated when `user` is given, encrypted when `priv`. */
  encode(pdu: Pdu, msgId: number, user: UsmUser | undefined, priv: boolean, userName = user?.name ?? ''): Buffer {
    const boots = this.#o.boots;
    const time = this.#o.time();
    const scoped = encodeScopedPdu({ contextEngineId: this.#o.engineId, contextName: Buffer.alloc(0), pdu });
    const privKey = priv ? user?.privKey : undefined;
    const encrypt = privKey !== undefined;
    const salt = encrypt ? randomBytes(8) : Buffer.alloc(0);
    const data = encrypt ? aesEncrypt(privKey, boots, time, salt, scoped) : scoped;
    const flags = (user === undefined ? 0 : Flags.AUTH) | (encrypt ? Flags.PRIV : 0);
    const { message, authOffset } = encodeV3({
      msgId, maxSize: this.#o.maxMessageSize, flags, engineId: this.#o.engineId, boots, time, userName,
      macLength: user === undefined ? 0 : MAC_LENGTH[user.auth], privParams: salt, data, encrypted: encrypt,
    });
    if (user !== undefined) mac(user.auth, user.authKey, message).copy(message, authOffset);
    return message;
  }

  /** A v3 notification as this (authoritative) engine, at the user's level. */
  encodeNotification(userName: string, pdu: Pdu): Buffer {
    const user = this.#users.get(userName);
    if (user === undefined) throw decodeError(`unknown v3 user ${userName}`);
    return this.encode(pdu, pdu.requestId, user, user.privKey !== undefined);
  }
}

function safeRequestId(data: Buffer): number {
  try {
    return decodeScopedPdu(data).pdu.requestId;
  } catch {
    return 0;
  }
}
