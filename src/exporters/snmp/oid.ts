/** Object identifiers: parse, format, compare in SNMP's lexicographic order (RFC 3416 §4.2.2). */

/** An OID as sub-identifiers. */
export type Oid = readonly number[];

/** Parses `1.3.6.1` (a leading dot is allowed). */
export function parseOid(text: string): number[] {
  return text.replace(/^\./, '').split('.').map((s) => {
    const n = Number(s);
    if (s === '' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new TypeError(`not an OID: ${text}`);
    return n;
  });
}

/** Dotted form without a leading dot. */
export function formatOid(oid: Oid): string {
  return oid.join('.');
}

/** -1, 0, 1: sub-ids compared as unsigned integers left to right; a prefix sorts first. */
export function compareOid(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** True when `prefix` is a (non-strict) prefix of `oid`. */
export function startsWith(oid: Oid, prefix: Oid): boolean {
  if (oid.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (oid[i] !== prefix[i]) return false;
  return true;
}
