/**
 * Label values as the catalog hands them out: valid Unicode (so they encode to valid UTF-8), optionally cut
 * to a length in code points without splitting a surrogate pair. Escaping (`\`, `"`, newline) is the
 * exporter's job; values here are raw.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone UTF-16 surrogates (which have no UTF-8 form) with U+FFFD. */
export function wellFormed(s: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\uFFFD') : s;
}

/** A label value: well-formed, and at most `max` code points when `max` is given. */
export function cleanLabelValue(s: string, max?: number): string {
  const w = wellFormed(s);
  if (max === undefined || w.length <= max) return w;
  let out = '';
  let n = 0;
  for (const cp of w) {
    if (n === max) break;
    out += cp;
    n++;
  }
  return out;
}
