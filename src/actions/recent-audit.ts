/** An audit sink that also keeps the last N entries in memory (the status page's "recent actions"). */
import type { AuditEntry, AuditSink } from './audit-log.ts';

/** Tees every entry to `inner` and remembers the newest `size`. */
export class RecentAudit implements AuditSink {
  readonly #inner: AuditSink;
  readonly #size: number;
  readonly #entries: AuditEntry[] = [];

  constructor(inner: AuditSink, size = 50) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
    this.#inner = inner;
    this.#size = size;
  }

  append(entry: AuditEntry): Promise<void> {
    this.#entries.push(entry);
    if (this.#entries.length > this.#size) this.#entries.shift();
    return this.#inner.append(entry);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  /** Newest first. */
  recent(): readonly AuditEntry[] {
    return [...this.#entries].reverse();
  }
}
