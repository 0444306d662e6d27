/**
 * When cycles start. An interval schedule fires at a fixed rate from its start (anchor + k·interval, so
 * slow cycles never make it drift) plus a random jitter per tick; a tick that is already past when the
 * timer runs (the event loop was blocked) is dropped, never replayed: no catch-up bursts. A cron
 * schedule is node-cron's task (seconds field allowed), with its own random delay as jitter. Both
 * unref their timers.
 */
import { createTask, validate, type ScheduledTask } from 'node-cron';
import type { Logger } from '../../domain/logger.ts';
import type { TimerHandle, Timers } from './timers.ts';

/** A schedule the scheduler can start and stop. */
export interface TickSource {
  /** Starts firing `onTick`; the interval schedule fires once at once. */
  start(onTick: () => void): void;
  stop(): void;
  /** The period in ms (for cron: between its next two runs), for expiry and backoff. */
  periodMs(): number;
  /** Human-readable description for logs. */
  readonly describe: string;
}

/** Fixed-rate interval with jitter. */
export class IntervalTicks implements TickSource {
  readonly describe: string;
  readonly #intervalMs: number;
  readonly #jitterMs: number;
  readonly #timers: Timers;
  readonly #random: () => number;
  #timer: TimerHandle | undefined;
  #anchor = 0;
  #k = 0;
  #running = false;

  constructor(intervalMs: number, jitterMs: number, timers: Timers, random: () => number = Math.random) {
    if (!(intervalMs > 0)) throw new RangeError(`interval must be positive, got ${intervalMs}`);
    if (!(jitterMs >= 0)) throw new RangeError(`jitter must not be negative, got ${jitterMs}`);
    this.#intervalMs = intervalMs;
    this.#jitterMs = jitterMs;
    this.#timers = timers;
    this.#random = random;
    this.describe = `every ${intervalMs} ms${jitterMs > 0 ? ` (+ up to ${jitterMs} ms jitter)` : ''}`;
  }

  periodMs(): number {
    return this.#intervalMs;
  }

  start(onTick: () => void): void {
    if (this.#running) return;
    this.#running = true;
    this.#anchor = this.#timers.now();
    this.#k = 0;
    const fire = (): void => {
      if (!this.#running) return;
      this.#arm(fire);
      onTick();
    };
    // The first cycle starts at once (collectd reads right after init), then at anchor + k·interval.
    this.#timer = this.#timers.setTimeout(fire, 0);
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(fire: () => void): void {
    const now = this.#timers.now();
    // The next slot strictly after now; slots already past are skipped (counted by nobody: they never ran).
    this.#k = Math.max(this.#k + 1, Math.floor((now - this.#anchor) / this.#intervalMs) + 1);
    const at = this.#anchor + this.#k * this.#intervalMs + this.#random() * this.#jitterMs;
    this.#timer = this.#timers.setTimeout(fire, Math.max(0, at - now));
  }
}

/** A node-cron schedule. */
export class CronTicks implements TickSource {
  readonly describe: string;
  readonly #expression: string;
  readonly #jitterMs: number;
  readonly #logger: Logger | undefined;
  #task: ScheduledTask | undefined;

  constructor(expression: string, jitterMs: number, logger?: Logger) {
    if (!validate(expression)) throw new RangeError(`invalid cron expression '${expression}'`);
    this.#expression = expression;
    this.#jitterMs = jitterMs;
    this.#logger = logger;
    this.describe = `cron '${expression}'`;
  }

  periodMs(): number {
    const probe = this.#task ?? createTask(this.#expression, () => undefined, { unref: true });
    try {
      const [a, b] = probe.getNextRuns(2);
      return a !== undefined && b !== undefined ? Math.max(1000, b.getTime() - a.getTime()) : 60_000;
    } finally {
      if (probe !== this.#task) void probe.destroy();
    }
  }

  start(onTick: () => void): void {
    if (this.#task !== undefined) return;
    const log = this.#logger;
    this.#task = createTask(this.#expression, () => { onTick(); }, {
      unref: true,
      // Overlap is the scheduler's business (it counts skips); node-cron must call on every tick.
      noOverlap: false,
      ...(this.#jitterMs > 0 ? { maxRandomDelay: this.#jitterMs } : {}),
      ...(log === undefined ? {} : {
        logger: {
          info: (m: string) => { log.debug({ cron: this.#expression }, m); },
          warn: (m: string) => { log.debug({ cron: this.#expression }, m); },
          error: (m: string | Error) => { log.warn({ cron: this.#expression, err: String(m) }, 'cron scheduler error'); },
          debug: (m: string | Error) => { log.trace({ cron: this.#expression }, String(m)); },
        },
      }),
    });
    void this.#task.start();
  }

  stop(): void {
    const task = this.#task;
    this.#task = undefined;
    if (task !== undefined) void task.destroy();
  }
}
