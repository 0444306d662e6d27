/**
 * Unit conversions of metrics.md §2. 64-bit counters stay bigint until the final float, which is the
 * correctly rounded double of the exact converted value. A value that cannot be a metric value (string,
 * negative — libvirt's −1 "not reported" —, NaN, ±Inf) converts to `undefined`, so its series is absent
 * (D6): no NaN, no placeholder zero.
 */
import type { SampleValue } from '../domain/sample.ts';
import type { CollectdValue, Conversion, SnmpMapping } from './types.ts';

const TWO_53 = 2n ** 53n;
const NS_PER_S = 1_000_000_000n;
const MS_PER_S = 1_000n;

/** Exact decimal division of a non-negative bigint by 10^digits, rounded once to the nearest double. */
function divPow10(value: bigint, divisor: bigint, digits: number): number {
  // Below 2^53 the bigint is exact as a double, and one IEEE division is correctly rounded.
  if (value <= TWO_53) return Number(value) / Number(divisor);
  // Above it, Number() of the exact decimal string is the correctly rounded result (one rounding, not two).
  const whole = value / divisor;
  const frac = (value % divisor).toString().padStart(digits, '0');
  return Number(`${whole}.${frac}`);
}

/** A sample value as a non-negative finite number or bigint, else undefined. */
function numeric(raw: SampleValue | undefined): number | bigint | undefined {
  if (typeof raw === 'bigint') return raw < 0n ? undefined : raw;
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  return undefined;
}

/** Converts a native sample value to the exported unit as a float64 (Prometheus, OTLP). */
export function convertValue(raw: SampleValue | undefined, conversion: Conversion): number | undefined {
  const v = numeric(raw);
  if (v === undefined) return undefined;
  let out: number;
  switch (conversion) {
    case 'id':
    case 'code':
    case 'none':
      out = Number(v);
      break;
    case 'KiB→B':
      // Scaling by 2^10 commutes with rounding to double, so Number(kib) * 1024 is exact-rounded.
      out = Number(v) * 1024;
      break;
    case 'ns→s':
      out = typeof v === 'bigint' ? divPow10(v, NS_PER_S, 9) : v / 1e9;
      break;
    case 'ms→s':
      out = typeof v === 'bigint' ? divPow10(v, MS_PER_S, 3) : v / 1e3;
      break;
  }
  return Number.isFinite(out) ? out : undefined;
}

/** A sample value as a non-negative integer bigint (native unit), or undefined (SNMP Counter64, collectd DERIVE). */
export function rawBigint(raw: SampleValue | undefined): bigint | undefined {
  const v = numeric(raw);
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') return v;
  return Number.isSafeInteger(v) ? BigInt(v) : undefined;
}

/**
 * The converted value as an exact bigint when the conversion is integral (id, code, KiB→B); undefined for
 * ns→s and ms→s, whose results are not integers.
 */
export function convertExact(raw: SampleValue | undefined, conversion: Conversion): bigint | undefined {
  const b = rawBigint(raw);
  if (b === undefined) return undefined;
  switch (conversion) {
    case 'id':
    case 'code':
    case 'none':
      return b;
    case 'KiB→B':
      return b * 1024n;
    case 'ns→s':
    case 'ms→s':
      return undefined;
  }
}

/** The collectd-style value (metrics.md §12): integers stay exact bigints (DERIVE), ns→ms truncates. */
export function convertCollectd(raw: SampleValue | undefined, value: CollectdValue): bigint | number | undefined {
  const b = rawBigint(raw);
  if (b === undefined) {
    const n = numeric(raw);
    return typeof n === 'number' && value === 'native' ? n : undefined;
  }
  switch (value) {
    case 'native': return b;
    case 'KiB→B': return b * 1024n;
    case 'ns→ms': return b / 1_000_000n;
  }
}

/** The LIBVIRT-MIB value of a row with an {@link SnmpMapping} (exact; MiB truncated as libvirt-snmp does). */
export function convertSnmp(raw: SampleValue | undefined, value: SnmpMapping['value']): bigint | undefined {
  const b = rawBigint(raw);
  if (b === undefined) return undefined;
  return value === 'KiB→MiB' ? b / 1024n : b;
}
