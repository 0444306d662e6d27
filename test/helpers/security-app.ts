/**
 * A small control-API-shaped fastify app for the security tests: routes that declare their access
 * level the way the agent's routes do, an error handler that answers VirtmonErrors with their catalog
 * status, and pino writing into an array so tests can prove no secret reaches a log.
 */
import { Writable } from 'node:stream';
import type { ServerOptions } from 'node:https';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { toVirtmonError, VirtmonError } from '../../src/domain/errors.ts';
import { mapBusyError } from '../../src/security/domain-gate.ts';

/** Log lines fastify itself wrote (JSON text). */
export interface CapturedLog {
  readonly lines: string[];
}

/** A fastify instance with pino writing into `log.lines` (`logLevel: 'silent'` for long runs). */
export function captureFastify(options: { readonly bodyLimit?: number; readonly https?: ServerOptions; readonly logLevel?: string } = {}): { app: FastifyInstance; log: CapturedLog } {
  const log: CapturedLog = { lines: [] };
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      log.lines.push(chunk.toString('utf8'));
      done();
    },
  });
  // Cast: an https instance has another server type, but the tests only use the common surface.
  const { logLevel = 'trace', ...fastifyOptions } = options;
  const app = Fastify({ ...fastifyOptions, loggerInstance: pino({ level: logLevel }, stream) }) as unknown as FastifyInstance;
  app.setErrorHandler((error, _request, reply) => {
    // Fastify's own errors (body too large, bad JSON, URI too long) keep their 4xx status; ours
    // answer with their catalog status; the driver's job-lock timeout is a 409 like the agent's.
    const status = (error as { statusCode?: number }).statusCode;
    const own = status !== undefined && status >= 400 && status < 500 && !(error instanceof VirtmonError);
    const v = own ? new VirtmonError('VIRTMON_ERR_REQUEST', (error as Error).message) : toVirtmonError(mapBusyError(error));
    void reply.code(own ? status : v.httpStatus).send({ error: v.toJSON() });
  });
  return { app, log };
}

/** Registers routes at each access level, plus /metrics and /healthz. Call after the security plugins. */
export function addTestRoutes(app: FastifyInstance, calls: string[] = []): void {
  app.get('/metrics', () => Promise.resolve('metrics\n'));
  app.get('/healthz', () => Promise.resolve({ ok: true }));
  app.get('/api/v1/domains', { config: { access: 'read' } }, () => {
    calls.push('list');
    return Promise.resolve([{ name: 'test' }]);
  });
  app.post<{ Params: { domain: string } }>('/api/v1/domains/:domain/destroy', { config: { access: 'operator' } }, (request) => {
    calls.push(`destroy ${request.params.domain}`);
    return Promise.resolve({ outcome: 'done' });
  });
  app.post('/api/v1/domains', { config: { access: 'admin' } }, () => {
    calls.push('define');
    return Promise.resolve({ outcome: 'done' });
  });
  app.get('/api/v1/undeclared', () => {
    calls.push('undeclared');
    return Promise.resolve({});
  });
}
