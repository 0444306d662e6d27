/**
 * Cooperative slicing for long synchronous loops (rendering 50k series): the loop calls `tick()` per unit
 * of work and awaits {@link Slicer.pause} when it returns true, which yields to the event loop through
 * `setImmediate` once the current slice has run for `sliceMs`. Timers, sockets and other requests get
 * their turn in between, so one render never holds the loop for more than about one slice.
 */

/** Yields the event loop every `sliceMs` of work; `sliceMs` 0 never yields. */
export class Slicer {
  readonly #sliceMs: number;
  readonly #now: () => number;
  #sliceStart: number;
  #count = 0;
  /** Times the loop yielded (for tests and the benchmark). */
  yields = 0;

  constructor(sliceMs: number, now: () => number = () => performance.now()) {
    if (!(sliceMs >= 0)) throw new RangeError(`sliceMs must be >= 0, got ${sliceMs}`);
    this.#sliceMs = sliceMs;
    this.#now = now;
    this.#sliceStart = now();
  }

  /** Counts `units` of work; true when the slice is used up and the caller should `await pause()`. */
  tick(units = 1): boolean {
    if (this.#sliceMs === 0) return false;
    this.#count += units;
    // Reading the clock costs ~50 ns; checking every 256 units keeps that out of the profile.
    if (this.#count < 256) return false;
    this.#count = 0;
    return this.#now() - this.#sliceStart >= this.#sliceMs;
  }

  /** Yields to the event loop and starts a new slice. */
  async pause(): Promise<void> {
    this.yields++;
    await new Promise<void>((resolve) => { setImmediate(resolve); });
    this.#sliceStart = this.#now();
  }
}
