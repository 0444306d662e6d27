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
}

/** Builds one API app; the caller listens (unix socket path or host:port). */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const app = fastify({
    // Request lines would drown the agent's own log; fastify's warnings and errors still get through.
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger.child({}, { level: 'warn' }) }),
    // Unknown body/query keys are errors, not silently dropped; query strings still coerce to numbers/booleans.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
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
  const deps: ApiDeps = { conn: options.conn, actions: options.actions, latest: options.latest };
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
