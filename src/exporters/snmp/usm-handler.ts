/** The SNMPv3 entry point the UDP agent calls (implemented by the USM module). */
import type { Principal } from './engine.ts';
import type { Pdu } from './pdu.ts';
import type { ReadResult } from './read-ops.ts';

/** Answers a PDU for an authenticated principal within a byte budget for the varbinds. */
export type Answer = (pdu: Pdu, who: Principal, budget: number) => Promise<ReadResult>;

/** Decodes, authenticates and decrypts a v3 message, answers it, and returns the encoded reply. */
export interface UsmHandler {
  handle(msg: Buffer, answer: Answer): Promise<Buffer | undefined>;
}
