/**
 * libvirt's per-domain job (src/qemu/qemu_domainjob.c, "state change lock"): operations on one domain
 * never interleave, waiting callers queue in order, and a caller that waits longer than the timeout
 * gets `Timed out during operation: cannot acquire state change lock (held by …)`. Locks of different
 * domains are independent, so operations on different domains run in parallel.
 */
import { VirtmonError } from '../../domain/errors.ts';

/** Gives the lock back; calling it twice is harmless. */
export type ReleaseJob = () => void;

interface Waiter {
  readonly what: string;
  readonly grant: () => void;
}

/** A FIFO mutex with named holders and a per-wait timeout. */
export class JobLock {
  #holder: string | undefined;
  readonly #queue: Waiter[] = [];

  /** The job holding the lock (an API name such as `virDomainSuspend`), or undefined. */
  get holder(): string | undefined {
    return this.#holder;
  }

  /** Number of callers waiting. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Takes the lock for `what`, waiting at most `timeoutMs` (Infinity: no limit, for the driver's own
   * jobs such as finishing a stop after QEMU died).
   */
  acquire(what: string, timeoutMs: number): Promise<ReleaseJob> {
    if (this.#holder === undefined) {
      this.#holder = what;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<ReleaseJob>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        what,
        grant: () => {
          if (timer !== undefined) clearTimeout(timer);
          this.#holder = what;
          resolve(this.#releaser());
        },
      };
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          const i = this.#queue.indexOf(waiter);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(new VirtmonError('VIR_ERR_OPERATION_TIMEOUT',
            `cannot acquire state change lock (held by ${this.#holder ?? 'nobody'})`));
        }, timeoutMs);
      }
      this.#queue.push(waiter);
    });
  }

  /** Runs `fn` holding the lock. */
  async run<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(what, timeoutMs);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #releaser(): ReleaseJob {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.#queue.shift();
      this.#holder = undefined;
      if (next !== undefined) next.grant();
    };
  }
}
