/**
 * Request limits of the control API (config remote.limits): body size (every route's bodyLimit is
 * capped), XML safety and depth (guardXml on an XML body or a JSON body's `xml` field) and JSON
 * depth, a request rate per client (token bucket, 429 with Retry-After), and changing requests in
 * flight per domain (409). Register it before authPlugin so floods are cut before tokens are hashed.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { ResolvedRemote } from '../config/blocks/auth.ts';
import { VirtmonError } from '../domain/errors.ts';
import { guardXml } from '../domain/xml-guard.ts';
import { createDomainGate, type GateRelease } from './domain-gate.ts';
import { jsonDepthExceeds } from './json-depth.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { DEFAULT_EXEMPT_ROUTES, isExempt, requiredAccess } from './request-info.ts';
import { isChange } from './roles.ts';
import { sharedPlugin } from './shared-plugin.ts';

/** Options of {@link limitsPlugin}. */
export interface LimitsPluginOptions extends Record<string, unknown> {
  readonly limits: ResolvedRemote['limits'];
  /** Clock in ms for the rate limiter. */
  readonly now?: () => number;
  readonly exemptRoutes?: readonly string[];
  /** Rate-limit key of a request; default the peer address. */
  readonly clientOf?: (request: FastifyRequest) => string;
  /** The domain a request changes; default the `dom`, `domain`, `name`, `uuid` or `id` route parameter. */
  readonly domainOf?: (request: FastifyRequest) => string | undefined;
}

const XML_TYPES = ['application/xml', 'text/xml'];

/** The default {@link LimitsPluginOptions.domainOf}. */
export function domainParam(request: FastifyRequest): string | undefined {
  const p = request.params as Record<string, unknown> | null | undefined;
  const v = p?.dom ?? p?.domain ?? p?.name ?? p?.uuid ?? p?.id;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The limits plugin; register it (shared) before authPlugin and the routes. */
export const limitsPlugin = sharedPlugin<LimitsPluginOptions>('virtmon-limits', (app, options) => {
  const { limits } = options;
  const exempt = options.exemptRoutes ?? DEFAULT_EXEMPT_ROUTES;
  const clientOf = options.clientOf ?? ((r: FastifyRequest) => r.ip);
  const domainOf = options.domainOf ?? domainParam;
  const limiter = createRateLimiter({ ratePerSecond: limits.ratePerSecond, burst: limits.burst, now: options.now ?? Date.now });
  const gate = createDomainGate(limits.opsPerDomain);
  const held = new WeakMap<FastifyRequest, GateRelease>();
  const release = (request: FastifyRequest): void => {
    held.get(request)?.();
    held.delete(request);
  };

  app.addHook('onRoute', (route) => {
    route.bodyLimit = Math.min(route.bodyLimit ?? limits.bodyBytes, limits.bodyBytes);
  });
  if (!app.hasContentTypeParser('application/xml')) {
    app.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: limits.bodyBytes }, (_req, body, done) => done(null, body));
  }

  // Synchronous checks, so callback-style hooks: an error goes to done() and on to the error handler.
  const sync = (check: (request: FastifyRequest, reply: FastifyReply) => void) =>
    (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      try {
        check(request, reply);
      } catch (err) {
        done(err as Error);
        return;
      }
      done();
    };

  app.addHook('onRequest', sync((request, reply) => {
    if (isExempt(request, exempt)) return;
    const decision = limiter.take(clientOf(request));
    if (decision.ok) return;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    void reply.header('retry-after', String(seconds));
    throw new VirtmonError('VIRTMON_ERR_RATE_LIMITED',
      `more than ${limits.ratePerSecond} requests per second from this client (burst ${limits.burst}); retry in ${seconds}s`);
  }));

  app.addHook('preValidation', sync((request) => {
    const body: unknown = request.body;
    const xmlLimits = { maxBytes: limits.bodyBytes, maxDepth: limits.xmlDepth };
    if (typeof body === 'string') {
      if (XML_TYPES.some((t) => request.headers['content-type']?.startsWith(t) === true)) guardXml(body, xmlLimits);
      return;
    }
    if (typeof body !== 'object' || body === null) return;
    if (jsonDepthExceeds(body, limits.xmlDepth)) {
      throw new VirtmonError('VIRTMON_ERR_REQUEST', `body is nested deeper than ${limits.xmlDepth} levels`);
    }
    const xml = (body as { xml?: unknown }).xml;
    if (typeof xml === 'string') guardXml(xml, xmlLimits);
  }));

  app.addHook('preHandler', sync((request) => {
    if (isExempt(request, exempt) || !isChange(requiredAccess(request))) return;
    const domain = domainOf(request);
    if (domain !== undefined) held.set(request, gate.enter(domain));
  }));
  // The slot is given back when the handler has answered (onSend), or at the latest when the response ends.
  app.addHook('onSend', (request, _reply, payload, done) => {
    release(request);
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    release(request);
    done();
  });
  return Promise.resolve();
});
