/**
 * The clock and timers the scheduler runs on, injectable so tests drive time (node:test `mock.timers`
 * or a manual clock). The real ones `unref()` every timer: sampling never keeps the process alive.
 */

/** An opaque timer handle. */
export type TimerHandle = object | number;

/** Wall clock and one-shot timers. */
export interface Timers {
  /** Wall-clock ms since the epoch (sample times, expiry). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Date.now and unref'd global timers (looked up at call time, so `mock.timers` applies). */
export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => { clearTimeout(handle as NodeJS.Timeout); },
};
