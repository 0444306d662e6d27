/**
 * The snapshot store: the {@link SnapshotView} exporters read, plus the writer side the scheduler and
 * the agent use. Writes are staged and become visible together at {@link SnapshotStore.commit}, which
 * bumps the version and tells the subscribers, so an exporter renders whole cycles and caches its
 * render by version. Reads never wait and never do I/O.
 */
import type { CycleReport, SnapshotEntry, SnapshotHealth, SnapshotView } from './types.ts';

/** Health before the first listing. */
export const INITIAL_HEALTH: SnapshotHealth = {
  up: false,
  domainCount: 0,
  collectors: [],
  cyclesSkipped: 0,
  domainSkips: new Map(),
  errorsByKind: new Map(),
};

/** Called when a subscriber throws (subscribers must not; the store keeps going). */
export type SubscriberErrorHandler = (error: unknown) => void;

/** Latest sample per domain, with a version and change notification. */
export class SnapshotStore implements SnapshotView {
  readonly #entries = new Map<string, SnapshotEntry>();
  /** Writes not yet committed: an entry, or null for a removal. */
  readonly #staged = new Map<string, SnapshotEntry | null>();
  #stagedHealth: SnapshotHealth | undefined;
  readonly #listeners = new Set<{ readonly fn: (version: number) => void }>();
  readonly #cycleListeners = new Set<{ readonly fn: (report: CycleReport) => void }>();
  readonly #onSubscriberError: SubscriberErrorHandler;
  #health: SnapshotHealth = INITIAL_HEALTH;
  #version = 0;
  #dirty = false;

  constructor(options: { readonly onSubscriberError?: SubscriberErrorHandler } = {}) {
    this.#onSubscriberError = options.onSubscriberError ?? (() => undefined);
  }

  get version(): number {
    return this.#version;
  }

  entries(): Iterable<SnapshotEntry> {
    return this.#entries.values();
  }

  get(uuid: string): SnapshotEntry | undefined {
    return this.#entries.get(uuid);
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  health(): SnapshotHealth {
    return this.#health;
  }

  subscribe(listener: (version: number) => void): () => void {
    const entry = { fn: listener };
    this.#listeners.add(entry);
    return () => { this.#listeners.delete(entry); };
  }

  /** Listens for completed cycles (cycle-duration histograms); returns the unsubscribe function. */
  onCycle(listener: (report: CycleReport) => void): () => void {
    const entry = { fn: listener };
    this.#cycleListeners.add(entry);
    return () => { this.#cycleListeners.delete(entry); };
  }

  /** Stages a domain's entry (keyed by its UUID). */
  set(entry: SnapshotEntry): void {
    this.#staged.set(entry.sample.uuid, entry);
    this.#dirty = true;
  }

  /** Stages the removal of a domain. */
  delete(uuid: string): void {
    this.#staged.set(uuid, null);
    this.#dirty = true;
  }

  /** Stages new health figures. */
  setHealth(health: SnapshotHealth): void {
    this.#stagedHealth = health;
    this.#dirty = true;
  }

  /** Makes staged writes visible: bumps the version and notifies, if anything changed. */
  commit(): boolean {
    if (!this.#dirty) return false;
    this.#dirty = false;
    for (const [uuid, entry] of this.#staged) {
      if (entry === null) this.#entries.delete(uuid);
      else this.#entries.set(uuid, entry);
    }
    this.#staged.clear();
    if (this.#stagedHealth !== undefined) this.#health = this.#stagedHealth;
    this.#stagedHealth = undefined;
    this.#version++;
    for (const l of [...this.#listeners]) {
      try {
        l.fn(this.#version);
      } catch (error) {
        this.#onSubscriberError(error);
      }
    }
    return true;
  }

  /** Tells cycle listeners about a finished cycle. */
  reportCycle(report: CycleReport): void {
    for (const l of [...this.#cycleListeners]) {
      try {
        l.fn(report);
      } catch (error) {
        this.#onSubscriberError(error);
      }
    }
  }
}
