/**
 * Error replies of the control API: a VirtmonError answers with its catalog status and its JSON form
 * (code, libvirt code, message in libvirt's wording), which the remote driver turns back into the
 * same error; fastify's validation errors become VIRTMON_ERR_REQUEST naming the field.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { VirtmonError, toVirtmonError } from '../domain/errors.ts';
import { mapBusyError } from '../security/domain-gate.ts';

/** Maps anything a route threw to the VirtmonError the client receives. */
export function apiError(err: unknown): VirtmonError {
  if (err instanceof VirtmonError) return mapBusyError(err) as VirtmonError;
  const fe = err as Partial<FastifyError>;
  if (fe.validation !== undefined) {
    const first = fe.validation[0];
    const where = fe.validationContext ?? 'request';
    const field = first === undefined ? where : fieldOf(where, first.instancePath, first.params);
    const message = first === undefined ? 'is invalid'
      : typeof first.params.missingProperty === 'string' ? 'is required'
        : typeof first.params.additionalProperty === 'string' ? 'is not a known field'
          : first.message ?? 'is invalid';
    return new VirtmonError('VIRTMON_ERR_REQUEST', `${field} ${message}`, { key: field });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // fastify's own client errors: bad JSON, unsupported media type, body too large.
    return new VirtmonError('VIRTMON_ERR_REQUEST', fe.message ?? 'bad request', { key: fe.code ?? 'request' });
  }
  return toVirtmonError(err);
}

function fieldOf(where: string, instancePath: string, params: Record<string, unknown>): string {
  const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
  const extra = typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
  return `${where}${instancePath}${missing}${extra}`;
}

/** Installs the error and not-found handlers on an API app. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(async (err, req, reply) => {
    const e = apiError(err);
    if (e.httpStatus >= 500) req.log.error({ err, code: e.code }, e.message);
    return reply.code(e.httpStatus).type('application/json').send(e.toJSON());
  });
  app.setNotFoundHandler(async (req, reply) => {
    const e = new VirtmonError('VIRTMON_ERR_REQUEST', `no route ${req.method} ${req.url}`, { key: 'url' });
    return reply.code(404).send(e.toJSON());
  });
}
