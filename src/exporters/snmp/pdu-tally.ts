/**
 * PDUs the bridge handled, by type and result: what `virtmon_snmp_pdus_total{pdu,result}` reports.
 * One tally per bridge, shared by the UDP agent (requests in) and the notifier (traps, informs out).
 */
import { PduType } from './pdu.ts';

/** PDU types counted. */
export type PduKind = 'get' | 'getnext' | 'getbulk' | 'set' | 'trap' | 'inform';
/**
 * ok: answered with noError / trap sent / inform acknowledged; error: answered with an error status,
 * failed, or an inform never acknowledged; dropped: not answered (bad community, overload, shut down).
 */
export type PduResult = 'ok' | 'error' | 'dropped';

/** Every type and result, in the order /metrics lists them. */
export const PDU_KINDS: readonly PduKind[] = ['get', 'getnext', 'getbulk', 'set', 'trap', 'inform'];
/** Every result. */
export const PDU_RESULTS: readonly PduResult[] = ['ok', 'error', 'dropped'];

/** The kind of a PDU tag, or undefined for one we do not count (responses, reports). */
export function pduKind(type: number): PduKind | undefined {
  switch (type) {
    case PduType.GET: return 'get';
    case PduType.GET_NEXT: return 'getnext';
    case PduType.GET_BULK: return 'getbulk';
    case PduType.SET: return 'set';
    case PduType.TRAP: return 'trap';
    case PduType.INFORM: return 'inform';
    default: return undefined;
  }
}

/** Counts by kind and result. */
export class PduTally {
  readonly #counts = new Map<string, number>();

  /** Adds one PDU of this tag (ignored when the tag is not a counted kind). */
  count(type: number, result: PduResult): void {
    const kind = pduKind(type);
    if (kind === undefined) return;
    const key = `${kind}/${result}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** The count of one kind and result. */
  get(kind: PduKind, result: PduResult): number {
    return this.#counts.get(`${kind}/${result}`) ?? 0;
  }

  /** Every kind × result, zeros included (so /metrics shows the full set from the start). */
  entries(): Array<{ pdu: PduKind; result: PduResult; value: number }> {
    return PDU_KINDS.flatMap((pdu) => PDU_RESULTS.map((result) => ({ pdu, result, value: this.get(pdu, result) })));
  }
}
