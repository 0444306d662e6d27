/// <reference types="@fastify/swagger" />
/**
 * Access levels of the control API. Every route declares one in its config
 * (`config: { access: 'read' | 'operator' | 'admin' }`); the read-only socket serves `read` routes
 * only, and the auth layer (tokens, roles) keys off the same field.
 */
import type { FastifyInstance } from 'fastify';
import { VirtmonError } from '../domain/errors.ts';

/** read: GETs; operator: lifecycle; admin: define/undefine/config. */
export type AccessLevel = 'read' | 'operator' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessLevel;
  }
}

/** Order of the levels: a role allows its own level and every lower one. */
export const ACCESS_RANK: Readonly<Record<AccessLevel, number>> = { read: 0, operator: 1, admin: 2 };

/**
 * Refuses, at registration, any /v1 route without an access level (a forgotten one would be open
 * on the read-only socket), and on a read-only listener answers every non-read route with
 * VIR_ERR_OPERATION_DENIED, as libvirt's read-only socket does.
 */
export function enforceAccess(app: FastifyInstance, readOnly: boolean): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/')) return;
    const access = (route.config as { access?: AccessLevel } | undefined)?.access;
    if (access === undefined || !Object.hasOwn(ACCESS_RANK, access)) {
      throw new TypeError(`route ${route.method.toString()} ${route.url} declares no config.access`);
    }
  });
  if (!readOnly) return;
  app.addHook('onRequest', (req, _reply, done) => {
    const access = req.routeOptions.config.access;
    done(access !== undefined && access !== 'read' ? new VirtmonError('VIR_ERR_OPERATION_DENIED') : undefined);
  });
}
