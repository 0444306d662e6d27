/**
 * GET, GETNEXT and GETBULK over a {@link MibView} as RFC 3416 §4.2.1–4.2.3 define them. GetBulk returns
 * N + M·R varbinds interleaved round by round, stops after a round in which every repeater reached
 * endOfMibView, and trims from the end to fit the size budget (never tooBig), which is where npm
 * net-snmp's Agent deviates (deviation 3: it caps the total at max-repetitions).
 */
import type { MibLookup } from './mib-view.ts';
import { ErrorStatus, PduType, type Pdu } from './pdu.ts';
import { V, encodeVarBind, type VarBind } from './values.ts';

/** Result varbinds plus error fields of a read request. */
export interface ReadResult {
  readonly errorStatus: number;
  readonly errorIndex: number;
  readonly varbinds: readonly VarBind[];
}

/** Upper bound on varbinds one GetBulk answer may carry, whatever the size budget says. */
export const MAX_BULK_VARBINDS = 2048;

/** GET: the value, or noSuchObject / noSuchInstance per varbind. */
export function doGet(view: MibLookup, request: readonly VarBind[]): ReadResult {
  return { errorStatus: 0, errorIndex: 0, varbinds: request.map((vb) => ({ oid: vb.oid, value: view.get(vb.oid) })) };
}

/** GETNEXT: the successor, or endOfMibView with the request's name. */
export function doGetNext(view: MibLookup, request: readonly VarBind[]): ReadResult {
  return { errorStatus: 0, errorIndex: 0, varbinds: request.map((vb) => nextOf(view, vb.oid)) };
}

function nextOf(view: MibLookup, oid: readonly number[]): VarBind {
  const hit = view.next(oid);
  return hit === undefined ? { oid, value: V.endOfMibView } : { oid: hit.oid, value: hit.value };
}

/**
 * GETBULK. `budget` is the number of bytes the encoded varbinds may take (the message size limit less
 * the envelope); the first varbind is always included so a walk makes progress.
 */
export function doGetBulk(view: MibLookup, request: readonly VarBind[], nonRepeaters: number, maxRepetitions: number, budget: number): ReadResult {
  const n = Math.min(Math.max(nonRepeaters, 0), request.length);
  const m = Math.max(maxRepetitions, 0);
  const r = request.length - n;
  const out: VarBind[] = [];
  let used = 0;
  const add = (vb: VarBind): boolean => {
    const size = encodeVarBind(vb).length;
    if (out.length > 0 && (used + size > budget || out.length >= MAX_BULK_VARBINDS)) return false;
    out.push(vb);
    used += size;
    return true;
  };
  for (let i = 0; i < n; i++) if (!add(nextOf(view, request[i]!.oid))) return done(out);
  let cursor = request.slice(n).map((vb) => vb.oid);
  for (let round = 0; round < m && r > 0; round++) {
    let allEnd = true;
    const following: (readonly number[])[] = [];
    for (const oid of cursor) {
      const vb = nextOf(view, oid);
      if (vb.value.type !== 'endOfMibView') allEnd = false;
      if (!add(vb)) return done(out);
      following.push(vb.oid);
    }
    if (allEnd) break;
    cursor = following;
  }
  return done(out);
}

const done = (varbinds: VarBind[]): ReadResult => ({ errorStatus: 0, errorIndex: 0, varbinds });

/** Dispatches a read PDU; undefined for a PDU type that is not a read. */
export function doRead(view: MibLookup, pdu: Pdu, budget: number): ReadResult | undefined {
  if (pdu.type === PduType.GET) return doGet(view, pdu.varbinds);
  if (pdu.type === PduType.GET_NEXT) return doGetNext(view, pdu.varbinds);
  if (pdu.type === PduType.GET_BULK) return doGetBulk(view, pdu.varbinds, pdu.errorStatus, pdu.errorIndex, budget);
  return undefined;
}

/** The tooBig answer: error-status tooBig, empty varbind list (RFC 3416 §4.2.1). */
export const TOO_BIG: ReadResult = { errorStatus: ErrorStatus.tooBig, errorIndex: 0, varbinds: [] };
