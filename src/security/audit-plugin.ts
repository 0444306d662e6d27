/**
 * Audits every change request of the control API: each request to an operator or admin route, and
 * any request that is not a GET/HEAD, is recorded after its response with who, from where, what and
 * the outcome, refused ones (401/403/409/429) included, when its answer is sent. The sink is the Actions service's append-only
 * audit log, connected by the agent; a sink failure is logged and never fails the request.
 */
import type { FastifyRequest } from 'fastify';
import { isErrorCode, type ErrorCode } from '../domain/errors.ts';
import type { Logger } from '../domain/logger.ts';
import { DEFAULT_EXEMPT_ROUTES, isExempt, requiredAccess } from './request-info.ts';
import { isChange } from './roles.ts';
import { sharedPlugin } from './shared-plugin.ts';

/** One audited API request. Holds no secret: the actor is the token's configured name. */
export interface ApiAuditRecord {
  /** ISO 8601 time the answer was sent. */
  readonly time: string;
  /** Token name, or null when the request was refused before a token was accepted. */
  readonly actor: string | null;
  readonly role: string | null;
  readonly client: string;
  readonly method: string;
  /** Route pattern (`/api/v1/domains/:domain/destroy`), or the path when no route matched. */
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
  readonly status: number;
  /** Catalog code of the error answered, when the request failed. */
  readonly code?: ErrorCode;
  readonly durationMs: number;
}

/** Where audit records go (the agent connects the Actions audit log; tests pass a fake). */
export interface ApiAuditSink {
  record(entry: ApiAuditRecord): void | Promise<void>;
}

/** Options of {@link auditPlugin}. */
export interface AuditPluginOptions extends Record<string, unknown> {
  readonly sink: ApiAuditSink;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly exemptRoutes?: readonly string[];
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when the request is a change (and therefore audited). */
export function isChangeRequest(request: FastifyRequest): boolean {
  return !READ_METHODS.has(request.method) || isChange(requiredAccess(request));
}

/** Strings only: params are names and ids, anything else is dropped. */
function paramsOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const params = request.params;
  if (typeof params !== 'object' || params === null) return out;
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') out[k] = v.slice(0, 256);
  return out;
}

/** The audit plugin; register it (shared) first, before limits and auth, so refused requests are audited too. */
export const auditPlugin = sharedPlugin<AuditPluginOptions>('virtmon-audit', (app, options) => {
  const now = options.now ?? Date.now;
  const exempt = options.exemptRoutes ?? DEFAULT_EXEMPT_ROUTES;
  const log = options.logger.child({ component: 'audit' });
  const errors = new WeakMap<FastifyRequest, ErrorCode>();
  app.addHook('onError', async (request, _reply, error) => {
    const code = (error as { code?: unknown }).code;
    if (isErrorCode(code)) errors.set(request, code);
  });
  // onSend, not onResponse: the handler has answered (status final), and it runs before the limits
  // plugin's onSend frees the domain's slot, so per domain the audit order is the execution order;
  // it also runs when the client has gone away before the response was written.
  app.addHook('onSend', async (request, reply) => {
    if (isExempt(request, exempt) || !isChangeRequest(request)) return;
    const principal = request.principal ?? null;
    const code = errors.get(request);
    const entry: ApiAuditRecord = {
      time: new Date(now()).toISOString(),
      actor: principal?.name ?? null,
      role: principal?.role ?? null,
      client: request.ip,
      method: request.method,
      route: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
      params: paramsOf(request),
      status: reply.statusCode,
      ...(code === undefined ? {} : { code }),
      durationMs: Math.round(reply.elapsedTime),
    };
    try {
      await options.sink.record(entry);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err), route: entry.route }, 'audit record could not be written');
    }
  });
  return Promise.resolve();
});
