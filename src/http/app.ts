/**
 * The agent's HTTP listener (127.0.0.1:9177 by default) as a fastify app factory, separate from
 * `listen` so tests use `inject()`: `/healthz` (the process answers), `/readyz` (every readiness
 * check passes), and whatever feature plugins the agent registers (the Prometheus `/metrics`
 * plugin, the status page), each taking its dependencies in its plugin options.
 */
import { fastify, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';

/** One readiness check: `undefined` when ready, else the reason it is not. */
export type ReadinessCheck = () => string | undefined;

/** A fastify plugin with its options, registered by {@link buildServer} in list order. */
export interface HttpPlugin {
  /** For logs and errors. */
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each plugin has its own options type
  readonly plugin: FastifyPluginAsync<any>;
  readonly options?: Record<string, unknown>;
}

/** Inputs of {@link buildServer}. */
export interface ServerOptions {
  /** Request logging goes here (a pino child); none when absent. */
  readonly logger?: FastifyBaseLogger;
  /** Named checks behind `/readyz`. */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  readonly plugins?: readonly HttpPlugin[];
  /** PEM certificate and key: the listener serves HTTPS (config `http.tls`). */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
}

/** Builds the app; nothing listens until the caller calls `listen`. */
export async function buildServer(options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = fastify({
    // The HTTPS instance differs only in its server type; routes and plugins do not care which it is.
    ...(options.https === undefined ? {} : { https: { cert: options.https.cert, key: options.https.key } }),
    // Request lines would drown the agent's own log; fastify's warnings and errors still get through.
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger.child({}, { level: 'warn' }) }),
  });
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of Object.entries(options.readiness ?? {})) {
      const reason = check();
      checks[name] = reason ?? 'ok';
      if (reason !== undefined) ready = false;
    }
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
  for (const p of options.plugins ?? []) await app.register(p.plugin, p.options ?? {});
  return app;
}

/** Splits `host:port` (IPv6 hosts in brackets) for fastify's listen. */
export function parseListen(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  if (m === null) throw new RangeError(`not a host:port address: ${address}`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port: Number(m[3]) };
}
