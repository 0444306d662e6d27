/**
 * Token auth for the control API (fastify onRequest hook). In order: exempt routes pass (/metrics,
 * /healthz keep their own policy); non-loopback peers are refused unless remote access is on; no or
 * a malformed token → 401; wrong or expired → 401; a role below the route's `config.access` → 403.
 * The secret is never logged, echoed or kept: logs carry the client address, the reason and, for an
 * expired token, its configured name.
 */
import { VirtmonError } from '../domain/errors.ts';
import type { Logger } from '../domain/logger.ts';
import { bearerToken, DEFAULT_EXEMPT_ROUTES, isExempt, isLoopback, requiredAccess } from './request-info.ts';
import { roleAllows } from './roles.ts';
import { sharedPlugin } from './shared-plugin.ts';
import type { Principal, TokenVerifier } from './token-verifier.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller (set by authPlugin; null on exempt routes and before auth). */
    principal: Principal | null;
  }
}

/** Options of {@link authPlugin}. */
export interface AuthPluginOptions extends Record<string, unknown> {
  readonly verifier: TokenVerifier;
  /** Serve peers other than loopback (config remote.allowRemote). */
  readonly allowRemote: boolean;
  readonly logger: Logger;
  /** Route URLs that skip token auth; default /metrics, /healthz, /readyz. */
  readonly exemptRoutes?: readonly string[];
}

const authFailed = (detail: string): VirtmonError => new VirtmonError('VIR_ERR_AUTH_FAILED', detail);

/** The auth plugin; register it (shared) before the API routes. */
export const authPlugin = sharedPlugin<AuthPluginOptions>('virtmon-auth', (app, options) => {
  const exempt = options.exemptRoutes ?? DEFAULT_EXEMPT_ROUTES;
  const log = options.logger.child({ component: 'auth' });
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (isExempt(request, exempt)) return;
    if (!options.allowRemote && !isLoopback(request.socket.remoteAddress)) {
      log.warn({ client: request.ip, reason: 'remote' }, 'control API request from a non-loopback peer refused');
      throw new VirtmonError('VIR_ERR_ACCESS_DENIED', 'remote access is disabled (set remote.allowRemote)');
    }
    const bearer = bearerToken(request);
    if ('problem' in bearer) {
      log.warn({ client: request.ip, reason: bearer.problem }, 'control API request without a usable token');
      throw authFailed(bearer.problem === 'missing'
        ? 'no token (send "Authorization: Bearer <token>")'
        : 'malformed Authorization header (expected "Bearer <token>")');
    }
    const result = await options.verifier.verify(bearer.token);
    if (!result.ok) {
      log.warn({ client: request.ip, reason: result.reason, ...(result.reason === 'expired' ? { token: result.name } : {}) },
        'control API request with a refused token');
      throw authFailed(result.reason === 'expired' ? 'token has expired' : 'invalid token');
    }
    const access = requiredAccess(request);
    const { principal } = result;
    if (!roleAllows(principal.role, access)) {
      log.warn({ client: request.ip, token: principal.name, role: principal.role, access, route: request.routeOptions.url },
        'control API request beyond the token\'s role');
      throw new VirtmonError('VIR_ERR_ACCESS_DENIED',
        `token '${principal.name}' has role ${principal.role}; this operation needs ${access}`);
    }
    request.principal = principal;
  });
  return Promise.resolve();
});
