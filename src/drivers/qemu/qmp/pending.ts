/**
 * The calls waiting for a reply, keyed by id, each with its deadline timer and abort listener. A call
 * given up (deadline, abort) is remembered for a while so its late reply is dropped quietly rather than
 * reported as an unknown id; that memory is bounded for a monitor that never answers.
 */
import type { VirtmonError } from '../../../domain/errors.ts';
import { qmpAborted, qmpTimeout } from './errors.ts';

/** One call waiting for its reply. */
export interface PendingCall {
  readonly command: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: VirtmonError) => void;
}

interface Entry extends PendingCall {
  readonly timer: NodeJS.Timeout;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

const MAX_ABANDONED = 1024;

/** id → pending call. */
export class QmpPendingCalls {
  readonly #entries = new Map<string, Entry>();
  readonly #abandoned = new Set<string>();
  #seq = 0;

  /** Number of calls waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /** A fresh request id, `virtmon-N`. */
  nextId(): string {
    return `virtmon-${++this.#seq}`;
  }

  /** Registers a call; it rejects with OPERATION_TIMEOUT after `timeoutMs`, or per qmpAborted when `signal` fires. */
  add(id: string, call: PendingCall, timeoutMs: number, signal: AbortSignal | undefined): void {
    const onAbort = signal === undefined ? undefined : (): void => {
      this.#abandon(id, qmpAborted(`QEMU command '${call.command}'`, signal.reason));
    };
    const timer = setTimeout(() => this.#abandon(id, qmpTimeout(call.command, timeoutMs)), timeoutMs);
    this.#entries.set(id, { ...call, timer, signal, onAbort });
    if (onAbort !== undefined) signal?.addEventListener('abort', onAbort, { once: true });
  }

  /** Removes and returns the call for a reply's id (its timer and abort listener are cleared). */
  take(id: string): PendingCall | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    clearTimeout(entry.timer);
    if (entry.onAbort !== undefined) entry.signal?.removeEventListener('abort', entry.onAbort);
    return entry;
  }

  /** True (once) when `id` belonged to a call that was given up. */
  forgetAbandoned(id: string): boolean {
    return this.#abandoned.delete(id);
  }

  /** Rejects every waiting call with the error `make` builds for it. */
  rejectAll(make: (command: string) => VirtmonError): void {
    for (const id of [...this.#entries.keys()]) {
      const call = this.take(id);
      call?.reject(make(call.command));
    }
    this.#abandoned.clear();
  }

  #abandon(id: string, err: VirtmonError): void {
    const call = this.take(id);
    if (call === undefined) return;
    this.#abandoned.add(id);
    if (this.#abandoned.size > MAX_ABANDONED) {
      const oldest = this.#abandoned.values().next();
      if (oldest.done !== true) this.#abandoned.delete(oldest.value);
    }
    call.reject(err);
  }
}
