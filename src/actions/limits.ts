/**
 * The rate limits of automated actions (issue 9): a cooldown per domain and action, and a global cap of
 * N actions per sliding minute. Both are checked and booked in one synchronous step, so a burst of
 * concurrent requests cannot slip through between a check and its booking.
 */

/** Why a request was held back. */
export type LimitVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly why: 'cooldown' | 'cap'; readonly detail: string };

/** Settings of {@link SafetyLimits}. */
export interface LimitSettings {
  /** Minimum time between two automated runs of the same action on the same domain; 0 disables. */
  readonly cooldownMs: number;
  /** At most this many automated actions per window; 0 disables. */
  readonly capPerWindow: number;
  /** The cap's sliding window (one minute). */
  readonly windowMs?: number;
}

/** Cooldown and global cap, with an injected clock. */
export class SafetyLimits {
  readonly #settings: Required<LimitSettings>;
  readonly #clock: () => number;
  /** `uuid\0action` → time of the last booked run. */
  readonly #last = new Map<string, number>();
  /** Booked run times inside the window, oldest first. */
  readonly #window: number[] = [];

  constructor(settings: LimitSettings, clock: () => number) {
    if (!(settings.cooldownMs >= 0)) throw new RangeError('cooldownMs must be >= 0');
    if (!Number.isInteger(settings.capPerWindow) || settings.capPerWindow < 0) throw new RangeError('capPerWindow must be an integer >= 0');
    this.#settings = { windowMs: 60_000, ...settings };
    this.#clock = clock;
  }

  /** Checks both limits and, when both allow it, books the run. */
  tryBook(uuid: string, action: string): LimitVerdict {
    const now = this.#clock();
    const key = `${uuid}\u0000${action}`;
    const { cooldownMs, capPerWindow, windowMs } = this.#settings;
    const last = this.#last.get(key);
    if (cooldownMs > 0 && last !== undefined && now - last < cooldownMs) {
      const left = Math.ceil((cooldownMs - (now - last)) / 1000);
      return { ok: false, why: 'cooldown', detail: `${action} ran on this domain ${Math.round((now - last) / 1000)}s ago; cooldown ${cooldownMs / 1000}s (${left}s left)` };
    }
    while (this.#window.length > 0 && now - (this.#window[0] ?? now) >= windowMs) this.#window.shift();
    if (capPerWindow > 0 && this.#window.length >= capPerWindow) {
      return { ok: false, why: 'cap', detail: `global cap of ${capPerWindow} automated actions per ${windowMs / 1000}s reached` };
    }
    this.#last.set(key, now);
    this.#window.push(now);
    this.#prune(now);
    return { ok: true };
  }

  /** Forgets cooldown entries that can no longer matter, so the map stays bounded by active domains. */
  #prune(now: number): void {
    if (this.#last.size < 1024) return;
    for (const [key, at] of this.#last) if (now - at >= this.#settings.cooldownMs) this.#last.delete(key);
  }
}
