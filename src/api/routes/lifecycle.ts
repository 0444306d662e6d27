/**
 * Lifecycle routes (operator): every plain state change goes through `Actions`, so the guarded
 * service's dry-run, limits and audit apply to the API as to rules and SNMP. Variants that only the
 * driver table knows (start --paused/--force-boot, destroy --graceful) and save/restore call the
 * connection, since `Actions` has no way to carry their flags.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { ActionRequest, DomainAction } from '../../actions/types.ts';
import { resolveDomain, type ApiDeps } from '../deps.ts';
import { ActionBody, DestroyBody, DomParams, MemoryBody, SaveBody, SaveFlagsBody, StartBody } from '../schemas.ts';

type Dom = { Params: Static<typeof DomParams> };
const operator = { access: 'operator' } as const;
const tags = ['lifecycle'];

/** The fields of a body that are set (flags whose value is true). */
function anyTrue(body: object | undefined, keys: readonly string[]): boolean {
  return body !== undefined && keys.some((k) => (body as Record<string, unknown>)[k] === true);
}

/** POST /v1/domains/:dom/{start,shutdown,destroy,suspend,resume,reboot,reset,save,managed-save}, /v1/restore, PUT memory. */
export const lifecycleRoutes: FastifyPluginAsync<ApiDeps> = (app, { conn, actions, checkDefinition }) => {
  const perform = async (req: FastifyRequest<Dom & { Body?: Static<typeof ActionBody> }>, action: DomainAction, extra: Partial<ActionRequest> = {}) => {
    const dom = await resolveDomain(conn, req.params.dom);
    const body = req.body ?? {};
    const result = await actions.perform({
      action, domain: dom.uuid, source: 'api',
      ...(req.principal?.name === undefined ? {} : { actor: req.principal.name }),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
      ...(body.dryRun === undefined ? {} : { dryRun: body.dryRun }),
      ...extra,
    });
    return { domain: result.domain, outcome: result.outcome };
  };
  const simple: readonly [DomainAction, string][] = [
    ['shutdown', 'virDomainShutdown'], ['suspend', 'virDomainSuspend'], ['resume', 'virDomainResume'],
    ['reboot', 'virDomainReboot'], ['reset', 'virDomainReset'],
  ];
  for (const [action, api] of simple) {
    app.post<Dom & { Body?: Static<typeof ActionBody> }>(`/v1/domains/:dom/${action}`, {
      config: operator, schema: { summary: `${api} (through Actions)`, tags, params: DomParams, body: ActionBody },
    }, (req) => perform(req, action));
  }
  app.post<Dom & { Body?: Static<typeof StartBody> & Static<typeof ActionBody> }>('/v1/domains/:dom/start', {
    config: operator,
    schema: { summary: 'virDomainCreateWithFlags (through Actions unless a flag is set)', tags, params: DomParams, body: { ...StartBody, properties: { ...StartBody.properties, ...ActionBody.properties } } },
  }, async (req) => {
    const b = req.body ?? {};
    if (!anyTrue(b, ['paused', 'forceBoot', 'bypassCache', 'autodestroy'])) return perform(req, 'start');
    const dom = await resolveDomain(conn, req.params.dom);
    const after = await conn.create(dom, {
      ...(b.paused === true ? { paused: true } : {}), ...(b.forceBoot === true ? { forceBoot: true } : {}),
      ...(b.bypassCache === true ? { bypassCache: true } : {}), ...(b.autodestroy === true ? { autodestroy: true } : {}),
    });
    return { domain: after, outcome: 'done' };
  });
  app.post<Dom & { Body?: Static<typeof DestroyBody> & Static<typeof ActionBody> }>('/v1/domains/:dom/destroy', {
    config: operator,
    schema: { summary: 'virDomainDestroyFlags (through Actions unless graceful)', tags, params: DomParams, body: { ...DestroyBody, properties: { ...DestroyBody.properties, ...ActionBody.properties } } },
  }, async (req) => {
    if (req.body?.graceful !== true) return perform(req, 'destroy');
    const dom = await resolveDomain(conn, req.params.dom);
    await conn.destroy(dom, { graceful: true });
    return { domain: dom, outcome: 'done' };
  });
  app.put<Dom & { Body: Static<typeof MemoryBody> }>('/v1/domains/:dom/memory', {
    config: operator,
    schema: { summary: 'virDomainSetMemoryFlags (the live balloon through Actions; config/maximum changes direct)', tags, params: DomParams, body: MemoryBody },
  }, async (req) => {
    const b = req.body;
    if (!anyTrue(b, ['config', 'maximum', 'live'])) return perform(req as FastifyRequest<Dom>, 'set-memory', { memoryKiB: b.kib });
    const dom = await resolveDomain(conn, req.params.dom);
    await conn.setMemory(dom, b.kib, {
      ...(b.live === true ? { live: true } : {}), ...(b.config === true ? { config: true } : {}), ...(b.maximum === true ? { maximum: true } : {}),
    });
    return { domain: dom, outcome: 'done' };
  });

  const flags = (b: Static<typeof SaveFlagsBody> | undefined) => ({
    ...(b?.running === true ? { running: true } : {}), ...(b?.paused === true ? { paused: true } : {}),
  });
  app.post<Dom & { Body: Static<typeof SaveBody> }>('/v1/domains/:dom/save', {
    config: operator, schema: { summary: 'virDomainSaveFlags (path on the agent host)', tags, params: DomParams, body: SaveBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    await checkDefinition?.path('save image', req.body.path);
    await conn.save(dom, req.body.path, flags(req.body));
    return { domain: dom, outcome: 'done' };
  });
  app.post<{ Body: Static<typeof SaveBody> }>('/v1/restore', {
    config: operator, schema: { summary: 'virDomainRestoreFlags (path on the agent host)', tags, body: SaveBody },
  }, async (req) => {
    await checkDefinition?.path('save image', req.body.path);
    return { domain: await conn.restore(req.body.path, flags(req.body)), outcome: 'done' };
  });
  app.post<Dom & { Body?: Static<typeof SaveFlagsBody> }>('/v1/domains/:dom/managed-save', {
    config: operator, schema: { summary: 'virDomainManagedSave', tags, params: DomParams, body: SaveFlagsBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    await conn.managedSave(dom, flags(req.body));
    return { domain: dom, outcome: 'done' };
  });
  app.delete<Dom>('/v1/domains/:dom/managed-save', {
    config: operator, schema: { summary: 'virDomainManagedSaveRemove', tags, params: DomParams },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    await conn.managedSaveRemove(dom);
    return { domain: dom, outcome: 'done' };
  });
  return Promise.resolve();
};
