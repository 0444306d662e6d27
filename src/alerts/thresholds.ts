/**
 * collectd's threshold check (collectd.md §5): a value outside [min, max] is WARNING or FAILURE, FAILURE
 * beats WARNING, `invert` alerts inside the range instead, and hysteresis only affects leaving a non-OK
 * state: while in FAILURE the failure bounds move inward by `hysteresis`, while in WARNING the warning
 * bounds do. Pure functions over numbers; NaN never reaches them (absent values are handled upstream).
 */
import { printfE } from '../actions/notify/payload.ts';
import type { Severity } from '../actions/notify/types.ts';

/** Bounds of one severity; an absent bound is unset. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

/** A rule's thresholds. */
export interface Thresholds {
  readonly warning: Bounds;
  readonly failure: Bounds;
  readonly invert: boolean;
  readonly hysteresis: number;
}

/** How a value relates to one set of bounds: inside, or above/below a bound. */
export type Side = 'inside' | 'above' | 'below';

function side(value: number, b: Bounds, shrink: number): Side {
  if (b.max !== undefined && value > b.max - shrink) return 'above';
  if (b.min !== undefined && value < b.min + shrink) return 'below';
  return 'inside';
}

function hasBounds(b: Bounds): boolean {
  return b.min !== undefined || b.max !== undefined;
}

/** The severity bad-ness order. */
export const RANK: Readonly<Record<Severity, number>> = { okay: 0, warning: 1, failure: 2 };

/** The severity a value deserves, given the current state (for hysteresis). */
export function classify(value: number, t: Thresholds, current: Severity): { severity: Severity; side: Side; bound?: number } {
  const bad = (b: Bounds, sticky: boolean): { side: Side; bound?: number } | undefined => {
    if (!hasBounds(b)) return undefined;
    // With invert, hysteresis would widen the range instead; collectd applies it the same way (bounds inward).
    const s = side(value, b, sticky ? t.hysteresis : 0);
    const out = t.invert ? s === 'inside' : s !== 'inside';
    if (!out) return undefined;
    const bound = s === 'above' ? b.max : s === 'below' ? b.min : undefined;
    return { side: s, ...(bound === undefined ? {} : { bound }) };
  };
  const f = bad(t.failure, current === 'failure');
  if (f !== undefined) return { severity: 'failure', ...f };
  const w = bad(t.warning, current === 'warning');
  if (w !== undefined) return { severity: 'warning', ...w };
  return { severity: 'okay', side: 'inside' };
}

/** collectd's wording of a value against a bound. */
export function describeValue(value: number, severity: Severity, s: Side, bound: number | undefined, invert: boolean): string {
  const v = printfE(value);
  if (severity === 'okay') return `Value is currently ${v}. All data sources are within range again.`;
  if (invert || bound === undefined) return `Value is currently ${v}. That is within the ${severity} region.`;
  return `Value is currently ${v}. That is ${s === 'above' ? 'above' : 'below'} the ${severity} threshold of ${printfE(bound)}.`;
}
