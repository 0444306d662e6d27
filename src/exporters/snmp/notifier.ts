/**
 * Sends notifications to the configured sinks from one UDP socket: SNMPv2-Trap PDUs in a v2c message or
 * in a v3 message through the USM encoder, or v2c InformRequests, resent until the sink answers (at most
 * {@link INFORM_RETRIES} times, 1 s, 2 s … apart). A send failure is logged, never thrown.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '../../domain/logger.ts';
import { PduType, Version, decodeCommunityMessage, encodeCommunityMessage, type Pdu } from './pdu.ts';
import type { PduTally } from './pdu-tally.ts';
import type { VarBind } from './values.ts';

/** A resolved sink. `encodeV3` wraps a PDU in an authenticated (and encrypted) v3 message. */
export interface Sink {
  readonly host: string;
  readonly port: number;
  readonly community?: string;
  readonly encodeV3?: (pdu: Pdu) => Buffer;
  /** v2c InformRequest instead of a trap. */
  readonly inform?: boolean;
}

/** Resends of an unacknowledged inform. */
export const INFORM_RETRIES = 3;

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
  readonly #tally: PduTally | undefined;
  #socket: Socket | undefined;
  readonly #pending = new Map<number, { timer: NodeJS.Timeout | undefined; done: () => void }>();
  /** Sent notifications (for tests and the status page). */
  sent = 0;
  /** Informs the sink answered, and informs given up on. */
  acknowledged = 0;
  unacknowledged = 0;

  constructor(sinks: readonly Sink[], logger: Logger, tally?: PduTally) {
    this.#sinks = sinks;
    this.#logger = logger;
    this.#tally = tally;
  }

  /** Sends one SNMPv2-Trap with these varbinds to every sink (failures are logged). */
  send(varbinds: readonly VarBind[]): void {
    void this.deliver(varbinds);
  }

  /**
   * Sends like {@link send} and resolves when every trap left the socket (informs: once sent, not when
   * acknowledged), with the number of sinks the send failed for.
   */
  async deliver(varbinds: readonly VarBind[]): Promise<{ readonly sinks: number; readonly failed: number }> {
    if (this.#sinks.length === 0) return { sinks: 0, failed: 0 };
    const socket = this.#ensureSocket();
    const pdu: Pdu = { type: PduType.TRAP, requestId: randomInt(1, 0x7fffffff), errorStatus: 0, errorIndex: 0, varbinds };
    const results = await Promise.all(this.#sinks.map((sink) => {
      if (sink.inform === true) {
        this.#inform(socket, sink, varbinds);
        return Promise.resolve(true);
      }
      return this.#trap(socket, sink, pdu);
    }));
    return { sinks: results.length, failed: results.filter((ok) => !ok).length };
  }

  #trap(socket: Socket, sink: Sink, pdu: Pdu): Promise<boolean> {
    const failed = (err: unknown): boolean => {
      this.#tally?.count(PduType.TRAP, 'error');
      this.#logger.warn({ err, sink: `${sink.host}:${sink.port}` }, 'SNMP trap not sent');
      return false;
    };
    try {
      const msg = sink.encodeV3 !== undefined
        ? sink.encodeV3(pdu)
        : encodeCommunityMessage({ version: Version.V2C, community: Buffer.from(sink.community ?? 'public', 'latin1'), pdu });
      this.sent++;
      return new Promise((resolve) => {
        socket.send(msg, sink.port, sink.host, (err) => {
          if (err !== null) { resolve(failed(err)); return; }
          this.#tally?.count(PduType.TRAP, 'ok');
          resolve(true);
        });
      });
    } catch (err) {
      return Promise.resolve(failed(err));
    }
  }

  #ensureSocket(): Socket {
    if (this.#socket !== undefined) return this.#socket;
    const socket = createSocket('udp4');
    socket.on('error', (err) => { this.#logger.warn({ err }, 'SNMP trap socket error'); });
    socket.on('message', (m) => { this.#onReply(m); });
    socket.unref();
    this.#socket = socket;
    return socket;
  }

  #onReply(m: Buffer): void {
    try {
      const reply = decodeCommunityMessage(m);
      if (reply.pdu.type === PduType.RESPONSE) this.#pending.get(reply.pdu.requestId)?.done();
    } catch {
      // Not an answer to one of our informs; nothing to do with it.
    }
  }

  #inform(socket: Socket, sink: Sink, varbinds: readonly VarBind[]): void {
    const requestId = randomInt(1, 0x7fffffff);
    const msg = encodeCommunityMessage({
      version: Version.V2C, community: Buffer.from(sink.community ?? 'public', 'latin1'),
      pdu: { type: PduType.INFORM, requestId, errorStatus: 0, errorIndex: 0, varbinds },
    });
    const entry: { timer: NodeJS.Timeout | undefined; done: () => void } = {
      timer: undefined,
      done: () => { clearTimeout(entry.timer); this.#pending.delete(requestId); this.acknowledged++; this.#tally?.count(PduType.INFORM, 'ok'); },
    };
    let tries = 0;
    const attempt = (): void => {
      if (tries > INFORM_RETRIES) {
        this.#pending.delete(requestId);
        this.unacknowledged++;
        this.#tally?.count(PduType.INFORM, 'error');
        this.#logger.warn({ sink: `${sink.host}:${sink.port}` }, 'SNMP inform not acknowledged');
        return;
      }
      tries++;
      socket.send(msg, sink.port, sink.host);
      entry.timer = setTimeout(attempt, 1000 * tries);
      entry.timer.unref();
    };
    this.#pending.set(requestId, entry);
    this.sent++;
    attempt();
  }

  /** Closes the socket and gives up on pending informs. */
  close(): void {
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      this.#tally?.count(PduType.INFORM, 'dropped');
    }
    this.#pending.clear();
    this.#socket?.close();
    this.#socket = undefined;
  }
}
