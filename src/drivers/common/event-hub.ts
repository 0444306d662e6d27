/**
 * Domain event fan-out for one driver connection (libvirt's virObjectEventState, without the queue):
 * listeners are called synchronously, in subscription order, after the driver finished the change
 * that caused the event. A listener that throws never reaches the driver: the error goes to the
 * injected `onListenerError` callback and the remaining listeners still run.
 */
import type { DomainEvent, DomainEventListener } from '../../domain/events.ts';

/** Called with whatever a listener threw, and the event it was handling. */
export type ListenerErrorHandler = (error: unknown, event: DomainEvent) => void;

/** A typed emitter of {@link DomainEvent}s. */
export class EventHub {
  readonly #listeners = new Set<{ readonly fn: DomainEventListener }>();
  readonly #onListenerError: ListenerErrorHandler;

  constructor(onListenerError: ListenerErrorHandler) {
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener; the returned function removes it (calling it twice is harmless). */
  subscribe(listener: DomainEventListener): () => void {
    // A wrapper object per subscription, so one function subscribed twice gets two deliveries
    // and two independent unsubscribes, as with virConnectDomainEventRegisterAny callback ids.
    const entry = { fn: listener };
    this.#listeners.add(entry);
    return () => { this.#listeners.delete(entry); };
  }

  /** Delivers an event to every current listener. Never throws. */
  emit(event: DomainEvent): void {
    // Snapshot: a listener that subscribes or unsubscribes during delivery changes the next event.
    for (const entry of [...this.#listeners]) {
      try {
        entry.fn(event);
      } catch (error) {
        try { this.#onListenerError(error, event); } catch { /* the reporter itself failed: nothing left to tell */ }
      }
    }
  }

  /** Number of active subscriptions. */
  get size(): number {
    return this.#listeners.size;
  }

  /** Drops every listener (connection close). */
  clear(): void {
    this.#listeners.clear();
  }
}
