/**
 * The standalone agent on UDP: v2c with read-only and read-write communities, v3 through the USM
 * handler. Hostile input is counted (snmpInASNParseErrs …), logged once, and dropped; the number of
 * requests in flight is bounded so a flood cannot pile up work.
 */
import { createHash } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { VirtmonError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/logger.ts';
import type { Principal, SnmpEngine } from './engine.ts';
import {
  PduType, Version, decodeCommunityMessage, encodeCommunityMessage, peekPduType, peekVersion, type Pdu,
} from './pdu.ts';
import type { PduTally } from './pdu-tally.ts';
import { TOO_BIG, type ReadResult } from './read-ops.ts';
import type { SnmpCounters } from './system-mib.ts';
import type { UsmHandler } from './usm-handler.ts';
import { encodeVarBind } from './values.ts';

/** Requests being answered at once; more are dropped (snmpSilentDrops). */
export const MAX_IN_FLIGHT = 64;

/** Settings of {@link UdpAgent}. */
export interface UdpAgentOptions {
  readonly engine: SnmpEngine;
  readonly counters: SnmpCounters;
  readonly host: string;
  readonly port: number;
  readonly ro: readonly string[];
  readonly rw: readonly string[];
  readonly maxMessageSize: number;
  readonly logger: Logger;
  readonly usm?: UsmHandler;
  /** Counts requests by type and result (virtmon_snmp_pdus_total). */
  readonly tally?: PduTally;
}

/** How long a SET's answer is kept for retransmissions of the same request. */
export const SET_REPLAY_MS = 30_000;
const SET_REPLAY_MAX = 256;

/** Slack for length octets that grow when varbinds are added to an envelope. */
const ENVELOPE_SLACK = 16;

/** A UDP SNMP agent. */
export class UdpAgent {
  readonly #o: UdpAgentOptions;
  #socket: Socket | undefined;
  #inFlight = 0;
  #decodeLogged = false;
  /** Recent SETs by sender + request: a manager's retransmission gets the first answer, never a second action. */
  readonly #recentSets = new Map<string, { at: number; result: Promise<ReadResult> }>();

  constructor(options: UdpAgentOptions) {
    this.#o = options;
  }

  /** The bound address (after start). */
  address(): { address: string; port: number } {
    const a = this.#socket?.address();
    return { address: a?.address ?? this.#o.host, port: a?.port ?? 0 };
  }

  /** Binds the socket. */
  async start(): Promise<void> {
    const socket = createSocket(this.#o.host.includes(':') ? 'udp6' : 'udp4');
    socket.on('message', (msg, rinfo) => { this.#onMessage(msg, rinfo); });
    socket.on('error', (err) => { this.#o.logger.warn({ err }, 'SNMP socket error'); });
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        socket.close();
        reject(new VirtmonError('VIR_ERR_SYSTEM_ERROR', `snmp.listen ${this.#o.host}:${this.#o.port}: ${err.message}`, { cause: err, key: 'snmp.listen' }));
      };
      socket.once('error', fail);
      socket.bind(this.#o.port, this.#o.host, () => { socket.off('error', fail); resolve(); });
    });
    this.#socket = socket;
  }

  /** Closes the socket. */
  async stop(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket !== undefined) await new Promise<void>((resolve) => { socket.close(() => { resolve(); }); });
  }

  #onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    const from = `${rinfo.address}:${rinfo.port}`;
    this.#o.counters.inPkts++;
    if (this.#inFlight >= MAX_IN_FLIGHT) {
      this.#o.counters.silentDrops++;
      this.#drop(msg);
      return;
    }
    this.#inFlight++;
    this.#process(msg, from)
      .then((reply) => { if (reply !== undefined) this.#socket?.send(reply, rinfo.port, rinfo.address); })
      .catch((err: unknown) => { this.#onError(err, rinfo); })
      .finally(() => { this.#inFlight--; });
  }

  #onError(err: unknown, rinfo: RemoteInfo): void {
    if (err instanceof VirtmonError && err.code === 'VIRTMON_ERR_SNMP_DECODE') {
      this.#o.counters.inASNParseErrs++;
      if (!this.#decodeLogged) {
        this.#decodeLogged = true;
        this.#o.logger.warn({ err, from: `${rinfo.address}:${rinfo.port}` }, 'malformed SNMP packet dropped (further ones are only counted in snmpInASNParseErrs)');
      }
      return;
    }
    this.#o.logger.error({ err }, 'SNMP request failed');
  }

  async #process(msg: Buffer, from: string): Promise<Buffer | undefined> {
    const version = peekVersion(msg);
    if (version === Version.V3 && this.#o.usm !== undefined) {
      return this.#o.usm.handle(msg, (pdu, who, budget) => this.#answer(pdu, who, budget, from));
    }
    if (version !== Version.V2C) {
      // v1 is not served (S4); v3 without users is an unknown version for us.
      this.#o.counters.inBadVersions++;
      this.#drop(msg);
      return undefined;
    }
    const m = decodeCommunityMessage(msg);
    const community = m.community.toString('latin1');
    const writable = this.#o.rw.includes(community);
    if (!writable && !this.#o.ro.includes(community)) {
      this.#o.counters.inBadCommunityNames++;
      this.#o.tally?.count(m.pdu.type, 'dropped');
      return undefined;
    }
    if (!isRequest(m.pdu)) return undefined;
    if (m.pdu.type === PduType.SET && !writable) this.#o.counters.inBadCommunityUses++;
    const envelope = (r: ReadResult): Buffer => encodeCommunityMessage({
      version: m.version, community: m.community,
      pdu: { type: PduType.RESPONSE, requestId: m.pdu.requestId, errorStatus: r.errorStatus, errorIndex: r.errorIndex, varbinds: r.varbinds },
    });
    const budget = this.#o.maxMessageSize - envelope(TOO_BIG).length - ENVELOPE_SLACK;
    const actor = writable ? `v2c rw community #${this.#o.rw.indexOf(community) + 1}` : 'v2c ro community';
    const result = await this.#answer(m.pdu, { writable, actor }, budget, from);
    const reply = envelope(result);
    return reply.length > this.#o.maxMessageSize ? envelope(TOO_BIG) : reply;
  }

  /** Counts a request that gets no answer, when its PDU type can be read without decoding it all. */
  #drop(msg: Buffer): void {
    const type = peekPduType(msg);
    if (type !== undefined) this.#o.tally?.count(type, 'dropped');
  }

  async #answer(pdu: Pdu, who: Principal, budget: number, from: string): Promise<ReadResult> {
    try {
      const result = await this.#perform(pdu, who, budget, from);
      this.#o.tally?.count(pdu.type, result.errorStatus === 0 ? 'ok' : 'error');
      return result;
    } catch (err) {
      this.#o.tally?.count(pdu.type, 'error');
      throw err;
    }
  }

  #perform(pdu: Pdu, who: Principal, budget: number, from: string): Promise<ReadResult> {
    if (pdu.type !== PduType.SET) return this.#o.engine.handle(pdu, who, budget);
    const now = Date.now();
    for (const [k, v] of this.#recentSets) {
      if (now - v.at <= SET_REPLAY_MS && this.#recentSets.size <= SET_REPLAY_MAX) break;
      this.#recentSets.delete(k);
    }
    const digest = createHash('sha256');
    for (const vb of pdu.varbinds) digest.update(encodeVarBind(vb));
    const key = `${from}|${who.actor}|${pdu.requestId}|${digest.digest('hex')}`;
    const seen = this.#recentSets.get(key);
    if (seen !== undefined) return seen.result;
    const result = this.#o.engine.handle(pdu, who, budget);
    this.#recentSets.set(key, { at: now, result });
    return result;
  }
}

/** True for the PDU types an agent answers. */
export function isRequest(pdu: Pdu): boolean {
  return pdu.type === PduType.GET || pdu.type === PduType.GET_NEXT || pdu.type === PduType.GET_BULK || pdu.type === PduType.SET;
}
