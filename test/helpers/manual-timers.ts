/**
 * A clock and timers a test moves by hand, for the scheduler's injectable {@link Timers}: `advance(ms)`
 * fires every due timer in time order and lets promises and immediates settle after each, so async
 * cycles run to their next wait before time moves on.
 */
import type { TimerHandle, Timers } from '../../src/collectors/schedule/timers.ts';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Lets pending promise callbacks and setImmediate callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => { setImmediate(resolve); });
}

/** Manual timers starting at `start` (wall-clock ms). */
export class ManualTimers implements Timers {
  #now: number;
  #seq = 0;
  readonly #pending = new Map<number, Pending>();

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.#seq;
    this.#pending.set(id, { id, at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#pending.delete(handle as number);
  }

  /** Timers not fired yet. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Moves time forward by `ms` at once, then fires what became due, late (a blocked event loop). */
  async jump(ms: number): Promise<void> {
    this.#now += ms;
    await this.advance(0);
  }

  /** Moves time forward by `ms`, firing due timers in order and settling after each. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      const next = [...this.#pending.values()].filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (next === undefined) break;
      this.#pending.delete(next.id);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await settle();
    }
    this.#now = end;
    await settle();
  }
}
