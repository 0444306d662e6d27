/**
 * How a control API route hands a change to `Actions` (DESIGN.md: the one path that changes domains):
 * source `api`, the request principal's name as actor, the body's `reason`/`dryRun` when it has them.
 * The guarded service audits and counts the outcome once; the route only shapes the reply.
 */
import type { FastifyRequest } from 'fastify';
import type { ActionRequest, ActionResult, Actions, DomainAction } from '../../actions/types.ts';

/** Request fields other than the ones this helper fills in. */
export type ActionExtras = Omit<ActionRequest, 'action' | 'domain' | 'source' | 'actor'>;

/** Only the flags that are `true`, as the routes passed them to the driver before (absent = unset). */
export function trueFlags<K extends string>(body: Partial<Record<K, unknown>> | undefined, keys: readonly K[]): Partial<Record<K, true>> {
  const out: Partial<Record<K, true>> = {};
  for (const k of keys) if (body?.[k] === true) out[k] = true;
  return out;
}

/** Performs `action` on `domain` (a UUID, or the audit label of a domain still to be made) for `req`. */
export function performForApi(actions: Actions, req: FastifyRequest, action: DomainAction, domain: string,
  extra: ActionExtras = {}): Promise<ActionResult> {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as { reason?: unknown; dryRun?: unknown };
  return actions.perform({
    action, domain, source: 'api',
    ...(req.principal?.name === undefined ? {} : { actor: req.principal.name }),
    ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
    ...(typeof body.dryRun === 'boolean' ? { dryRun: body.dryRun } : {}),
    ...extra,
  });
}
