/**
 * Token buckets per client: `burst` requests at once, refilled at `ratePerSecond`. The table is
 * bounded (oldest client forgotten first), so a flood from many addresses cannot grow it without end.
 */

/** Settings of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Clock in ms (injectable for tests). */
  readonly now: () => number;
  /** Most clients tracked at once (default 10,000). */
  readonly maxClients?: number;
}

/** The answer for one request. */
export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/** A per-key token bucket table. */
export interface RateLimiter {
  take(key: string): RateDecision;
  /** Keys currently tracked (for tests and a self metric). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Builds a limiter; throws RangeError on nonsensical settings. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { ratePerSecond, burst, now } = options;
  if (!(ratePerSecond > 0) || !Number.isInteger(burst) || burst < 1) throw new RangeError('rate limiter: ratePerSecond > 0 and an integer burst >= 1 are required');
  const maxClients = options.maxClients ?? 10_000;
  const buckets = new Map<string, Bucket>();
  return {
    get size() {
      return buckets.size;
    },
    take(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= maxClients) {
          const oldest = buckets.keys().next();
          if (oldest.done !== true) buckets.delete(oldest.value);
        }
        bucket = { tokens: burst, at: t };
      } else {
        buckets.delete(key); // re-inserted below: the Map's order is least recently seen first
        bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * ratePerSecond);
        bucket.at = t;
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000) };
    },
  };
}
