/**
 * Failure backoff per source (collectd's read-callback backoff, style.md habit 5, collectd.md §3): a
 * source that fails has its effective interval doubled on every further failure, up to a cap, and reset
 * by the first success. The transitions tell the caller when to complain (first failure) and when to
 * release (first success after failures), so a broken source logs once, not every cycle
 * (collectd's c_complain/c_release).
 */

interface State {
  /** Consecutive failures. */
  failures: number;
  /** Wall-clock ms of the last failed attempt. */
  lastFailure: number;
}

/** What a failure did. */
export interface FailureTransition {
  /** The first failure after success: log it (warn). Later ones are debug. */
  readonly first: boolean;
  /** The interval until the next attempt, ms. */
  readonly intervalMs: number;
}

/** Backoff state by source key. */
export class Backoff {
  readonly #states = new Map<string, State>();
  readonly #capMs: number;

  /** `capMs`: the longest effective interval (collectd's MaxReadInterval; ours defaults to 300 s). */
  constructor(capMs = 300_000) {
    if (!(capMs > 0)) throw new RangeError(`backoff cap must be positive, got ${capMs}`);
    this.#capMs = capMs;
  }

  /** Effective interval of a source whose configured interval is `baseMs`. */
  intervalMs(key: string, baseMs: number): number {
    const s = this.#states.get(key);
    if (s === undefined) return baseMs;
    return Math.max(baseMs, Math.min(baseMs * 2 ** s.failures, this.#capMs));
  }

  /**
   * True when the source should run now. A failing source waits its effective interval after the last
   * failure, less half a base interval so timer jitter never costs it an extra cycle.
   */
  due(key: string, now: number, baseMs: number): boolean {
    const s = this.#states.get(key);
    if (s === undefined) return true;
    return now - s.lastFailure >= this.intervalMs(key, baseMs) - baseMs / 2;
  }

  /** Records a failure at `now`. */
  failure(key: string, now: number, baseMs: number): FailureTransition {
    const s = this.#states.get(key);
    if (s === undefined) {
      this.#states.set(key, { failures: 1, lastFailure: now });
      return { first: true, intervalMs: this.intervalMs(key, baseMs) };
    }
    s.failures++;
    s.lastFailure = now;
    return { first: false, intervalMs: this.intervalMs(key, baseMs) };
  }

  /** Records a success; true when the source had been failing (log the recovery once). */
  success(key: string): boolean {
    return this.#states.delete(key);
  }

  /** True while the source is failing. */
  failing(key: string): boolean {
    return this.#states.has(key);
  }

  /** Consecutive failures of a source (0 when healthy). */
  failures(key: string): number {
    return this.#states.get(key)?.failures ?? 0;
  }

  /** Forgets every key for which `match` is true (a domain that went away). */
  forget(match: (key: string) => boolean): void {
    for (const key of [...this.#states.keys()]) if (match(key)) this.#states.delete(key);
  }

  /** Number of failing sources. */
  get size(): number {
    return this.#states.size;
  }
}
