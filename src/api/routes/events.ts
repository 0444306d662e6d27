/**
 * Domain events as server-sent events (`GET /v1/events`): one `event: <kind>` message per driver
 * event with the event as JSON (lifecycle events also carry virsh event's words), a comment line as
 * a heartbeat so proxies keep the stream open, and every stream ended when the app closes.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from 'typebox';
import { lifecycleToString, type DomainEvent } from '../../domain/events.ts';
import type { ApiDeps } from '../deps.ts';

const EventsQuery = Type.Object({
  domain: Type.Optional(Type.String({ description: 'only events of this domain (name or UUID)' })),
}, { additionalProperties: false });

/** Options of {@link eventRoutes} beyond the API's dependencies. */
export interface EventRouteOptions extends ApiDeps {
  /** Heartbeat period (ms); default 15 s. */
  readonly heartbeatMs?: number;
}

/** The JSON form of an event. */
export function eventToJson(e: DomainEvent): Record<string, unknown> {
  return e.kind === 'lifecycle' ? { ...e, event: lifecycleToString(e.type, e.detail) } : { ...e };
}

/** GET /v1/events. */
export const eventRoutes: FastifyPluginAsync<EventRouteOptions> = (app, { conn, heartbeatMs = 15_000 }) => {
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of [...open]) end();
    done();
  });
  app.get<{ Querystring: Static<typeof EventsQuery> }>('/v1/events', {
    config: { access: 'read' },
    schema: { summary: 'domain events as text/event-stream (event: lifecycle, reboot, balloon-change …)', tags: ['events'], querystring: EventsQuery },
  }, (req, reply) => {
    const only = req.query.domain;
    // Subscribe first so a missing entry fails as a normal JSON error before the stream starts.
    const pending: DomainEvent[] = [];
    let write = (e: DomainEvent): void => { pending.push(e); };
    const off = conn.onDomainEvent((e) => {
      if (only !== undefined && e.domain.name !== only && e.domain.uuid !== only) return;
      write(e);
    });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': virtmon events\n\n');
    let seq = 0;
    write = (e) => { res.write(`id: ${++seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(eventToJson(e))}\n\n`); };
    pending.splice(0).forEach(write);
    const beat = setInterval(() => { res.write(': heartbeat\n\n'); }, heartbeatMs);
    beat.unref();
    const end = (): void => {
      if (!open.delete(end)) return;
      clearInterval(beat);
      off();
      res.end();
    };
    open.add(end);
    req.raw.on('close', end);
    res.on('error', end);
  });
  return Promise.resolve();
};
