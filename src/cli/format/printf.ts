/**
 * The few printf conversions virsh output depends on, reproduced exactly: `%.Nf` with glibc's
 * rounding (the exact binary value, ties to even) and `%-Ns` padding.
 */

/**
 * Formats a double like C's `printf("%.*f", digits, x)`. JavaScript's toFixed rounds exact ties
 * away from zero (0.25 → "0.3"); glibc rounds them to even ("0.2"), so the rounding is done here on
 * the exact decimal expansion of the double.
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const exact = exactDecimal(Math.abs(x));
  const dot = exact.indexOf('.');
  const intPart = dot < 0 ? exact : exact.slice(0, dot);
  const frac = dot < 0 ? '' : exact.slice(dot + 1);
  let kept = BigInt(intPart + frac.slice(0, digits).padEnd(digits, '0'));
  const rest = frac.slice(digits);
  if (rest !== '') {
    const first = rest.charCodeAt(0) - 48;
    const beyond = /[1-9]/.test(rest.slice(1));
    if (first > 5 || (first === 5 && (beyond || kept % 2n === 1n))) kept += 1n;
  }
  const text = kept.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  return negative ? `-${body}` : body;
}

/** The exact decimal expansion of a finite non-negative double (every double is a dyadic rational). */
function exactDecimal(x: number): string {
  if (x === 0) return '0';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const power = (exponent === 0 ? 1 : exponent) - 1075;
  if (power >= 0) return (mantissa << BigInt(power)).toString();
  // mantissa / 2^k = mantissa * 5^k / 10^k
  const k = -power;
  const digits = (mantissa * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  const intPart = digits.slice(0, digits.length - k);
  const fracPart = digits.slice(digits.length - k).replace(/0+$/, '');
  return fracPart === '' ? intPart : `${intPart}.${fracPart}`;
}

/** `%-Ns`: left-justified in a field of `width` characters (never truncated). */
export function padRight(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
