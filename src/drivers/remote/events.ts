/**
 * Domain events from an agent's `GET /v1/events` server-sent event stream, handed to the listener as
 * the driver table's DomainEvent. The stream stays open until the returned function is called.
 */
import type { DomainEvent, DomainEventListener } from '../../domain/events.ts';
import { httpOptions, httpRequest, type AgentTarget } from './transport.ts';

/** Parses `data:` lines of one SSE message block into an event; undefined for comments and junk. */
export function parseSseBlock(block: string): DomainEvent | undefined {
  const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
  if (data === '') return undefined;
  try {
    const parsed = JSON.parse(data) as DomainEvent & { event?: string };
    if (typeof parsed.kind !== 'string' || typeof parsed.domain !== 'object') return undefined;
    const { event: _words, ...rest } = parsed;
    return rest;
  } catch {
    return undefined;
  }
}

/** Opens the stream; returns the unsubscribe function. A broken stream just ends the events. */
export function subscribeEvents(target: AgentTarget, listener: DomainEventListener): () => void {
  let closed = false;
  const req = httpRequest(target, httpOptions(target, 'GET', '/v1/events', { accept: 'text/event-stream' }), (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = parseSseBlock(block);
        if (event !== undefined && !closed) listener(event);
      }
    });
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end();
  return () => {
    closed = true;
    req.destroy();
  };
}
