/**
 * Start times and temporality for the sums the producer reports. The snapshot holds totals (cumulative
 * counters since the domain or device started); this turns each series into a valid OTLP point:
 *
 * - cumulative: the value as is, with a start time fixed when the series was first seen; a monotonic
 *   value that went down is a reset (domain restart, device re-plug) and gets a new start time, so the
 *   exported sum stays valid (metrics.md §11) instead of faking monotonicity;
 * - delta: the change since the last collection over [last collection, now]; after a reset, the new
 *   total (everything counted since the reset).
 *
 * Series not seen in a collection are dropped at its end, so the state is bounded by the current snapshot.
 */

/** One series' state between collections. */
interface SeriesMemo {
  startMs: number;
  last: number;
  seenIn: number;
}

/** A point's start time and value in the chosen temporality. */
export interface SumPoint {
  readonly startMs: number;
  readonly value: number;
}

/** Per-series memory of the sums of one exporter. */
export class SumState {
  readonly #delta: boolean;
  readonly #memo = new Map<string, SeriesMemo>();
  readonly #firstStartMs: number;
  #collection = 0;
  #prevMs: number | undefined;
  #nowMs = 0;

  /** `startMs`: start time of series seen in the first collection (the exporter's start). */
  constructor(temporality: 'cumulative' | 'delta', startMs: number) {
    this.#delta = temporality === 'delta';
    this.#firstStartMs = startMs;
  }

  /** Opens a collection at `nowMs`. */
  begin(nowMs: number): void {
    this.#collection++;
    this.#nowMs = nowMs;
  }

  /** The point for series `key` with total `value`. */
  point(key: string, value: number, monotonic: boolean): SumPoint {
    // A series new after the first collection started counting at the latest after the previous one.
    const since = this.#prevMs ?? this.#firstStartMs;
    const memo = this.#memo.get(key);
    if (memo === undefined) {
      this.#memo.set(key, { startMs: since, last: value, seenIn: this.#collection });
      return { startMs: since, value };
    }
    const reset = monotonic && value < memo.last;
    const previous = memo.last;
    memo.last = value;
    memo.seenIn = this.#collection;
    if (reset) memo.startMs = since;
    if (!this.#delta) return { startMs: memo.startMs, value };
    return { startMs: since, value: reset ? value : value - previous };
  }

  /** Closes the collection: forgets series it did not see. */
  end(): void {
    for (const [key, memo] of this.#memo) if (memo.seenIn !== this.#collection) this.#memo.delete(key);
    this.#prevMs = this.#nowMs;
  }

  /** Number of series remembered (bounded by the snapshot; the heap test watches it). */
  get size(): number {
    return this.#memo.size;
  }
}
