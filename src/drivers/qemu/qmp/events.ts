/**
 * The event side of a QMP connection: typed subscriptions that return an unsubscribe function, and a
 * promise-returning wait with a deadline. A listener that throws is reported and never breaks delivery
 * to the others. When the connection closes, every pending wait rejects with the close reason.
 */
import type { VirtmonError } from '../../../domain/errors.ts';
import { qmpAborted, qmpEventTimeout, qmpInterrupted } from './errors.ts';
import type { QmpEvent } from './types.ts';

/** Removes a subscription; calling it twice is harmless. */
export type Unsubscribe = () => void;

/** Receives events of one name (or all). */
export type QmpEventListener<N extends string = string> = (event: QmpEvent<N>) => void;

/** Options of {@link QmpEventHub.wait}. */
export interface WaitForEventOptions {
  readonly signal?: AbortSignal;
}

type AnyListener = (event: QmpEvent) => void;

interface Waiter {
  readonly reject: (err: VirtmonError) => void;
}

/** Fan-out of QMP events to subscribers. */
export class QmpEventHub {
  readonly #byName = new Map<string, Set<AnyListener>>();
  readonly #any = new Set<AnyListener>();
  readonly #waiters = new Set<Waiter>();
  readonly #onListenerError: (err: unknown, event: QmpEvent) => void;
  #closedWith: VirtmonError | undefined;

  constructor(onListenerError: (err: unknown, event: QmpEvent) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Subscribes to one event name. */
  on<N extends string>(name: N, listener: QmpEventListener<N>): Unsubscribe {
    let set = this.#byName.get(name);
    if (set === undefined) {
      set = new Set();
      this.#byName.set(name, set);
    }
    const fn = listener as AnyListener;
    set.add(fn);
    return () => {
      const current = this.#byName.get(name);
      if (current === undefined) return;
      current.delete(fn);
      if (current.size === 0) this.#byName.delete(name);
    };
  }

  /** Subscribes to every event. */
  onAny(listener: QmpEventListener): Unsubscribe {
    this.#any.add(listener);
    return () => {
      this.#any.delete(listener);
    };
  }

  /** Delivers an event to the listeners of its name, then to the catch-all listeners. */
  emit(event: QmpEvent): void {
    const named = this.#byName.get(event.event);
    if (named !== undefined) for (const fn of [...named]) this.#call(fn, event);
    if (this.#any.size > 0) for (const fn of [...this.#any]) this.#call(fn, event);
  }

  /** Resolves with the first `name` event for which `predicate` holds, received after this call.
   * Rejects with OPERATION_TIMEOUT after `timeoutMs`, with the close reason when the connection closes,
   * and per {@link qmpAborted} when `signal` fires. */
  wait<N extends string>(
    name: N,
    predicate: ((event: QmpEvent<N>) => boolean) | undefined,
    timeoutMs: number,
    options: WaitForEventOptions = {},
  ): Promise<QmpEvent<N>> {
    return new Promise<QmpEvent<N>>((resolve, reject) => {
      if (this.#closedWith !== undefined) {
        reject(this.#closedWith);
        return;
      }
      const { signal } = options;
      if (signal?.aborted === true) {
        reject(qmpAborted(`waiting for QEMU event ${name}`, signal.reason));
        return;
      }
      const finish = (): void => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = {
        reject: (err) => {
          finish();
          reject(err);
        },
      };
      const onAbort = (): void => waiter.reject(qmpAborted(`waiting for QEMU event ${name}`, signal?.reason));
      const timer = setTimeout(() => {
        waiter.reject(qmpEventTimeout(name, timeoutMs));
      }, timeoutMs);
      timer.unref();
      const unsubscribe = this.on(name, (event) => {
        if (predicate !== undefined && !predicate(event)) return;
        finish();
        resolve(event);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** Rejects every pending wait with `reason` and refuses new ones; subscriptions stay (they just
   * receive nothing more). */
  close(reason: VirtmonError = qmpInterrupted('connection closed')): void {
    if (this.#closedWith !== undefined) return;
    this.#closedWith = reason;
    for (const waiter of [...this.#waiters]) waiter.reject(reason);
  }

  #call(fn: AnyListener, event: QmpEvent): void {
    try {
      fn(event);
    } catch (err) {
      this.#onListenerError(err, event);
    }
  }
}
