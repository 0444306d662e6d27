/**
 * AgentX Get, GetNext and GetBulk over a {@link MibView} (RFC 2741 §7.2.3): search ranges bound the
 * successor (`include` allows the start itself; a non-empty end is exclusive), endOfMibView carries the
 * range start.
 */
import type { MibLookup } from './mib-view.ts';
import { compareOid, type Oid } from './oid.ts';
import { V, type VarBind } from './values.ts';

/** A search range from the master. */
export interface SearchRange {
  readonly start: Oid;
  readonly include: boolean;
  readonly end: Oid;
}

/** Get: exact instances (noSuchObject / noSuchInstance otherwise). */
export function axGet(view: MibLookup, ranges: readonly SearchRange[]): VarBind[] {
  return ranges.map((r) => ({ oid: r.start, value: view.get(r.start) }));
}

/** The successor of a range start within the range, or endOfMibView. */
export function nextInRange(view: MibLookup, r: SearchRange): VarBind {
  if (r.include) {
    const v = view.get(r.start);
    if (v.type !== 'noSuchObject' && v.type !== 'noSuchInstance') return { oid: r.start, value: v };
  }
  const hit = view.next(r.start);
  if (hit === undefined || (r.end.length > 0 && compareOid(hit.oid, r.end) >= 0)) return { oid: r.start, value: V.endOfMibView };
  return { oid: hit.oid, value: hit.value };
}

/** GetNext. */
export function axGetNext(view: MibLookup, ranges: readonly SearchRange[]): VarBind[] {
  return ranges.map((r) => nextInRange(view, r));
}

/** GetBulk: N non-repeaters, then up to M rounds over the repeaters (stops when all reach the end). */
export function axGetBulk(view: MibLookup, ranges: readonly SearchRange[], nonRepeaters: number, maxRepetitions: number): VarBind[] {
  const n = Math.min(nonRepeaters, ranges.length);
  const out = ranges.slice(0, n).map((r) => nextInRange(view, r));
  let cursor = ranges.slice(n);
  for (let round = 0; round < maxRepetitions && cursor.length > 0 && out.length < 2048; round++) {
    const results = cursor.map((r) => nextInRange(view, r));
    out.push(...results);
    if (results.every((vb) => vb.value.type === 'endOfMibView')) break;
    cursor = cursor.map((r, i) => ({ start: results[i]!.oid, include: false, end: r.end }));
  }
  return out;
}
