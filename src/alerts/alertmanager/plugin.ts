/**
 * The Alertmanager webhook receiver as a fastify plugin: `POST /v1/alertmanager`, a bearer token
 * (Alertmanager's `http_config.authorization.credentials`), the body validated against the v4 payload,
 * and every alert mapped to the Actions service with source `alertmanager`, so the same dry-run,
 * cooldown, cap, protected domains and audit apply. It answers 200 with one result per alert once the
 * actions are done; a refusal is a result, not an HTTP error, so Alertmanager does not retry it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Actions } from '../../actions/types.ts';
import { VirtmonError, toVirtmonError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/logger.ts';
import { AmPayload, planAlert, type AmPayloadBody } from './payload.ts';

/** Plugin options: the agent passes its dependencies in. */
export interface AlertmanagerReceiverOptions {
  readonly actions: Actions;
  /** The bearer token Alertmanager must send (read from `alerts.alertmanager.tokenFile`). */
  readonly token: string;
  readonly logger: Logger;
  /** Route path; default `/v1/alertmanager`. */
  readonly path?: string;
}

/** One alert's result in the response. */
export interface AlertResult {
  readonly fingerprint?: string;
  readonly domain?: string;
  readonly action?: string;
  readonly outcome: 'done' | 'noop' | 'dry-run' | 'skipped' | 'error';
  readonly detail?: string;
  readonly code?: string;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (m === null) return false;
  const got = Buffer.from(m[1] ?? '');
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The receiver plugin. */
export const alertmanagerReceiver: FastifyPluginAsync<AlertmanagerReceiverOptions> = (app, opts) => {
  if (opts.token.trim() === '') return Promise.reject(new VirtmonError('VIRTMON_ERR_CONFIG', 'the Alertmanager receiver needs a non-empty token'));
  const token = opts.token.trim();
  const log = opts.logger.child({ component: 'alertmanager-receiver' });

  const fail = (reply: FastifyReply, err: VirtmonError): FastifyReply => reply.code(err.httpStatus).send({ error: err.toJSON() });

  app.post(opts.path ?? '/v1/alertmanager', {
    // Changes domains: the auth layer treats it as an operator route; the token check below is its credential.
    config: { access: 'operator' },
    schema: { body: AmPayload },
    attachValidation: true,
    bodyLimit: 1024 * 1024,
  }, async (req: FastifyRequest, reply: FastifyReply) => {
    if (!tokenMatches(req.headers.authorization, token)) {
      return fail(reply.header('www-authenticate', 'Bearer realm="virtmon"'), new VirtmonError('VIR_ERR_AUTH_FAILED', 'missing or wrong bearer token'));
    }
    if (req.validationError !== undefined) {
      return fail(reply, new VirtmonError('VIRTMON_ERR_REQUEST', `Alertmanager payload: ${req.validationError.message}`));
    }
    const body = req.body as AmPayloadBody;
    const results = await Promise.all(body.alerts.map(async (alert): Promise<AlertResult> => {
      const base = alert.fingerprint === undefined ? {} : { fingerprint: alert.fingerprint };
      const plan = planAlert(alert, body.receiver);
      if (plan.kind === 'skip') {
        log.info({ ...base, labels: alert.labels, status: alert.status }, `alert skipped: ${plan.why}`);
        return { ...base, ...(alert.labels.domain === undefined ? {} : { domain: alert.labels.domain }), outcome: 'skipped', detail: plan.why };
      }
      const { request } = plan;
      try {
        const r = await opts.actions.perform(request);
        return { ...base, domain: r.domain.name, action: request.action, outcome: r.outcome };
      } catch (e) {
        const err = toVirtmonError(e);
        return { ...base, domain: request.domain, action: request.action, outcome: 'error', code: err.code, detail: err.message };
      }
    }));
    return reply.send({ status: 'ok', results });
  });
  return Promise.resolve();
};
