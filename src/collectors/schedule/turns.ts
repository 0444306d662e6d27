/**
 * Cooperative yielding for long synchronous stretches (performance.md §6.3, A6: a stalled event loop
 * delays every /metrics scrape and API call by as long). A cycle over 1,000 domains whose sources answer
 * at once (the test driver, files) would otherwise run as one chain of microtasks and never let a timer
 * or a socket in. {@link Turns.due} hands out a promise that resolves on the next event-loop turn once
 * the current slice of uninterrupted work is longer than `sliceMs`.
 *
 * A slice starts at the first `due()` after a turn; the turn is detected with one `setImmediate` per
 * slice, so work that already waits on I/O (QMP replies) never pays an extra yield.
 */
import { performance } from 'node:perf_hooks';

/** Default longest synchronous stretch, ms. */
export const DEFAULT_SLICE_MS = 4;

/** Hands out event-loop turns to loops that would otherwise run synchronously for too long. */
export class Turns {
  readonly #sliceMs: number;
  readonly #clock: () => number;
  #armed = false;
  #since = 0;
  #turn: Promise<void> = Promise.resolve();

  /** `sliceMs` ≤ 0 never yields (tests that drive everything through microtasks). */
  constructor(sliceMs = DEFAULT_SLICE_MS, clock: () => number = () => performance.now()) {
    this.#sliceMs = sliceMs;
    this.#clock = clock;
  }

  /**
   * Undefined while the current slice is short; else a promise that resolves on the next turn of the
   * event loop (shared by every caller of this slice). Cheap enough to call after every item.
   */
  due(): Promise<void> | undefined {
    if (this.#sliceMs <= 0) return undefined;
    const now = this.#clock();
    if (!this.#armed) {
      this.#armed = true;
      this.#since = now;
      this.#turn = new Promise<void>((resolve) => {
        setImmediate(() => {
          this.#armed = false;
          resolve();
        });
      });
      return undefined;
    }
    return now - this.#since >= this.#sliceMs ? this.#turn : undefined;
  }
}
