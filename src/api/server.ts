/**
 * The control API app: versioned JSON under /v1 with an OpenAPI document at /v1/openapi.json. One
 * app per listener (the read-write socket, the read-only socket, optional TCP), all on the same
 * dependencies; a read-only app answers every non-read route with VIR_ERR_OPERATION_DENIED.
 */
import { fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { HttpPlugin } from '../http/app.ts';
import { enforceAccess } from './access.ts';
import type { DomainSample } from '../domain/sample.ts';
import type { ApiDeps } from './deps.ts';
import { installErrorHandlers } from './errors.ts';
import type { ResolvedRemote } from '../config/blocks/auth.ts';
import type { Logger } from '../domain/logger.ts';
import { auditPlugin, type ApiAuditSink } from '../security/audit-plugin.ts';
import { authPlugin } from '../security/auth-plugin.ts';
import { createImageRootsCheck } from '../security/image-roots.ts';
import { limitsPlugin } from '../security/limits-plugin.ts';
import { tlsServerOptions } from '../security/tls.ts';
import { createTokenVerifier } from '../security/token-verifier.ts';
import { configRoutes } from './routes/config.ts';
import { domainReadRoutes } from './routes/domains-read.ts';
import { domstatsRoutes } from './routes/domstats.ts';
import { eventRoutes } from './routes/events.ts';
import { hostRoutes } from './routes/host.ts';
import { lifecycleRoutes } from './routes/lifecycle.ts';
import { statsRoutes } from './routes/stats.ts';

/** Inputs of {@link buildApiServer}. */
export interface ApiServerOptions extends ApiDeps {
  /** Serve `read` routes only (the -ro socket). */
  readonly readOnly: boolean;
  readonly logger?: FastifyBaseLogger;
  /** SSE heartbeat period (ms). */
  readonly heartbeatMs?: number;
  /** One-shot sampler behind GET /v1/domstats (the agent's paths); default: latest samples. */
  readonly sampleNow?: () => Promise<DomainSample[]>;
  /** Version shown in the OpenAPI document. */
  readonly version?: string;
  /** More /v1 routes from other rooms (alert states …), registered after the core routes; each declares its access. */
  readonly plugins?: readonly HttpPlugin[];
  /** The TCP listener's policy (tokens, roles, TLS, limits, image roots, audit); the unix sockets have none. */
  readonly security?: ApiSecurity;
}

/** What the TCP API app is guarded with (the `remote` config block and where audit records go). */
export interface ApiSecurity {
  readonly remote: ResolvedRemote;
  readonly audit: ApiAuditSink;
  readonly logger: Logger;
}

/** Builds one API app; the caller listens (unix socket path or host:port). */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const security = options.security;
  const https = security === undefined ? undefined : tlsServerOptions(security.remote.tls);
  const app = fastify({
    ...(https === undefined ? {} : { https }),
    ...(security === undefined ? {} : { bodyLimit: security.remote.limits.bodyBytes }),
    // Request lines would drown the agent's own log; fastify's warnings and errors still get through.
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger.child({}, { level: 'warn' }) }),
    // Unknown body/query keys are errors, not silently dropped; query strings still coerce to numbers/booleans.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }) as unknown as FastifyInstance;
  if (security !== undefined) {
    // Order matters: audit first (sees every refusal), limits before auth (floods never reach the hashing).
    await app.register(auditPlugin, { sink: security.audit, logger: security.logger });
    await app.register(limitsPlugin, { limits: security.remote.limits });
    await app.register(authPlugin, { verifier: createTokenVerifier(security.remote.tokens, Date.now), allowRemote: security.remote.allowRemote, logger: security.logger });
  }
  await app.register(swagger, {
    openapi: {
      info: { title: 'virtmon control API', version: options.version ?? '1', description: 'libvirt\'s domain API as REST; errors carry libvirt\'s codes and wording' },
      tags: [{ name: 'host' }, { name: 'domains' }, { name: 'lifecycle' }, { name: 'definitions' }, { name: 'stats' }, { name: 'events' }],
    },
  });
  enforceAccess(app, options.readOnly);
  // A POST without a body (`curl -X POST …/suspend`) means "no options", as `{}` does.
  app.addHook('preValidation', (req, _reply, done) => {
    if (req.body === undefined || req.body === null) req.body = {};
    done();
  });
  installErrorHandlers(app);
  const deps: ApiDeps = {
    conn: options.conn, actions: options.actions, latest: options.latest,
    ...(security === undefined ? {} : { checkDefinition: createImageRootsCheck({ roots: security.remote.imageRoots, emulators: security.remote.emulators }) }),
  };
  await app.register(hostRoutes, deps);
  await app.register(domainReadRoutes, deps);
  await app.register(lifecycleRoutes, deps);
  await app.register(configRoutes, deps);
  await app.register(statsRoutes, deps);
  await app.register(domstatsRoutes, { ...deps, ...(options.sampleNow === undefined ? {} : { sampleNow: options.sampleNow }) });
  await app.register(eventRoutes, { ...deps, ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }) });
  for (const p of options.plugins ?? []) await app.register(p.plugin, p.options ?? {});
  app.get('/v1/openapi.json', {
    config: { access: 'read' },
    schema: { hide: true },
  }, () => app.swagger());
  return app;
}
