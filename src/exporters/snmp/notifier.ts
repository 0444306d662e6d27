/**
 * Sends notifications to the configured sinks from one unbound UDP socket: SNMPv2-Trap PDUs in a v2c
 * message, or in a v3 message through the USM encoder. A send failure is logged, never thrown.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '../../domain/logger.ts';
import { PduType, Version, encodeCommunityMessage, type Pdu } from './pdu.ts';
import type { VarBind } from './values.ts';

/** A resolved sink. `encodeV3` wraps a PDU in an authenticated (and encrypted) v3 message. */
export interface Sink {
  readonly host: string;
  readonly port: number;
  readonly community?: string;
  readonly encodeV3?: (pdu: Pdu) => Buffer;
}

/** Parses `udp:HOST:PORT` or `HOST:PORT`. */
export function parseTarget(target: string): { host: string; port: number } {
  const text = target.startsWith('udp:') ? target.slice(4) : target;
  const colon = text.lastIndexOf(':');
  return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
}

/** Trap sender. */
export class Notifier {
  readonly #sinks: readonly Sink[];
  readonly #logger: Logger;
  #socket: Socket | undefined;
  /** Sent notifications (for tests and the status page). */
  sent = 0;

  constructor(sinks: readonly Sink[], logger: Logger) {
    this.#sinks = sinks;
    this.#logger = logger;
  }

  /** Sends one SNMPv2-Trap with these varbinds to every sink. */
  send(varbinds: readonly VarBind[]): void {
    if (this.#sinks.length === 0) return;
    this.#socket ??= createSocket('udp4').on('error', (err) => { this.#logger.warn({ err }, 'SNMP trap socket error'); });
    this.#socket.unref();
    const pdu: Pdu = { type: PduType.TRAP, requestId: randomInt(1, 0x7fffffff), errorStatus: 0, errorIndex: 0, varbinds };
    for (const sink of this.#sinks) {
      try {
        const msg = sink.encodeV3 !== undefined
          ? sink.encodeV3(pdu)
          : encodeCommunityMessage({ version: Version.V2C, community: Buffer.from(sink.community ?? 'public', 'latin1'), pdu });
        this.#socket.send(msg, sink.port, sink.host, (err) => {
          if (err !== null) this.#logger.warn({ err, sink: `${sink.host}:${sink.port}` }, 'SNMP trap not sent');
        });
        this.sent++;
      } catch (err) {
        this.#logger.warn({ err, sink: `${sink.host}:${sink.port}` }, 'SNMP trap not sent');
      }
    }
  }

  /** Closes the socket. */
  close(): void {
    this.#socket?.close();
    this.#socket = undefined;
  }
}
