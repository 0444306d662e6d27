/**
 * `/proc/net/dev`: one line per interface of the reader's network namespace, 8 receive and 8 transmit
 * counters. Read once per cycle for every domain's taps. Counters are from the host's point of view.
 */
import { parseU64 } from './numbers.ts';

/** One direction of an interface (the four libvirt exports plus the rest of the line). */
export interface NetDevDirection {
  readonly bytes: bigint;
  readonly packets: bigint;
  readonly errs: bigint;
  readonly drop: bigint;
  readonly fifo: bigint;
  /** Receive: `frame`; transmit: `colls`. */
  readonly frameOrColls: bigint;
  /** Receive: `compressed`; transmit: `carrier`. */
  readonly compressedOrCarrier: bigint;
  /** Receive: `multicast`; transmit: `compressed`. */
  readonly multicastOrCompressed: bigint;
}

/** Both directions of one interface, host view. */
export interface NetDevCounters {
  readonly rx: NetDevDirection;
  readonly tx: NetDevDirection;
}

/** Interface name → counters. */
export type NetDevTable = ReadonlyMap<string, NetDevCounters>;

const direction = (v: readonly bigint[], o: number): NetDevDirection => ({
  bytes: v[o] ?? 0n, packets: v[o + 1] ?? 0n, errs: v[o + 2] ?? 0n, drop: v[o + 3] ?? 0n,
  fifo: v[o + 4] ?? 0n, frameOrColls: v[o + 5] ?? 0n, compressedOrCarrier: v[o + 6] ?? 0n,
  multicastOrCompressed: v[o + 7] ?? 0n,
});

/**
 * Parses the whole file. The kernel prints `%6s:` then the numbers, so a name of 6+ characters touches
 * its first number (`vnet123:1234`); the name ends at the first `:` (names cannot contain one).
 * Lines without 16 counters (the two headers, a torn line) are skipped.
 */
export function parseNetDev(text: string): Map<string, NetDevCounters> {
  const out = new Map<string, NetDevCounters>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    if (fields.length < 16) continue;
    const values: bigint[] = [];
    for (let i = 0; i < 16; i++) {
      const v = parseU64(fields[i] ?? '');
      if (v === undefined) break;
      values.push(v);
    }
    if (values.length !== 16) continue;
    out.set(line.slice(0, colon).trim(), { rx: direction(values, 0), tx: direction(values, 8) });
  }
  return out;
}
