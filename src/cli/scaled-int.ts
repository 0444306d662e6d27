/**
 * Sizes with unit suffixes as virsh takes them (vshCommandOptScaledInt → virScaleInteger): a
 * non-negative integer, then nothing (the command's default unit), `b`/`byte`/`bytes`, a power-of-1024
 * suffix (`k`, `KiB`, `M`, `MiB` … `E`, `EiB`) or a power-of-1000 one (`KB`, `MB` … `EB`).
 */
import { VirtmonError } from '../domain/errors.ts';

/** Why a size was refused: `malformed` has no further error; the others carry the libvirt error. */
export type ScaledIntResult =
  | { readonly ok: true; readonly bytes: bigint }
  | { readonly ok: false; readonly error?: VirtmonError };

/** strtoull's ceiling: larger numbers are malformed, not overflowing. */
export const ULLONG_MAX = 2n ** 64n - 1n;

const EXPONENT: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** Parses `text` into bytes, `scale` being the unit of a bare number and `max` the largest value. */
export function parseScaledInt(text: string, scale: bigint, max: bigint): ScaledIntResult {
  const m = /^\s*\+?(\d+)(.*)$/s.exec(text);
  if (m === null) return { ok: false };
  const value = BigInt(m[1] ?? '0');
  if (value > ULLONG_MAX) return { ok: false };
  const suffix = m[2] ?? '';
  let factor: bigint;
  if (suffix === '') {
    factor = scale;
  } else if (/^(b|bytes?)$/i.test(suffix)) {
    factor = 1n;
  } else {
    const rest = suffix.slice(1);
    let base: bigint;
    if (rest === '' || rest.toLowerCase() === 'ib') base = 1024n;
    else if (rest.toLowerCase() === 'b') base = 1000n;
    else return { ok: false, error: new VirtmonError('VIR_ERR_INVALID_ARG', `unknown suffix '${suffix}'`) };
    const exp = EXPONENT[suffix.charAt(0).toLowerCase()];
    if (exp === undefined) return { ok: false, error: new VirtmonError('VIR_ERR_INVALID_ARG', `unknown suffix '${suffix}'`) };
    factor = base ** BigInt(exp);
  }
  if (value !== 0n && value > max / factor) {
    return { ok: false, error: new VirtmonError('VIR_ERR_OVERFLOW', `value too large: ${value}${suffix}`) };
  }
  return { ok: true, bytes: value * factor };
}
