/**
 * Lifecycle routes (operator): every state change, flags and saved state included, goes through
 * `Actions`, so the guarded service's dry-run, limits and audit apply to the API as to rules and SNMP.
 * The domain is resolved here first, as virsh does, so lookup errors read exactly like libvirt's.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { DomainAction } from '../../actions/types.ts';
import { resolveDomain, type ApiDeps } from '../deps.ts';
import { ActionBody, DestroyBody, DomParams, MemoryBody, SaveBody, SaveFlagsBody, StartBody } from '../schemas.ts';
import { performForApi, trueFlags, type ActionExtras } from './through-actions.ts';

type Dom = { Params: Static<typeof DomParams> };
const operator = { access: 'operator' } as const;
const tags = ['lifecycle'];

/** `flags` when any is set, else nothing (a plain request calls the driver exactly as before). */
function some<T extends object>(flags: T): T | undefined {
  return Object.keys(flags).length === 0 ? undefined : flags;
}

/** POST /v1/domains/:dom/{start,shutdown,destroy,suspend,resume,reboot,reset,save,managed-save}, /v1/restore, PUT memory. */
export const lifecycleRoutes: FastifyPluginAsync<ApiDeps> = (app, { conn, actions, checkDefinition }) => {
  const perform = async (req: FastifyRequest<Dom>, action: DomainAction, extra: ActionExtras = {}) => {
    const dom = await resolveDomain(conn, req.params.dom);
    const result = await performForApi(actions, req, action, dom.uuid, extra);
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
    schema: { summary: 'virDomainCreateWithFlags (through Actions)', tags, params: DomParams, body: { ...StartBody, properties: { ...StartBody.properties, ...ActionBody.properties } } },
  }, (req) => {
    const startFlags = some(trueFlags(req.body, ['paused', 'forceBoot', 'bypassCache', 'autodestroy']));
    return perform(req, 'start', startFlags === undefined ? {} : { startFlags });
  });
  app.post<Dom & { Body?: Static<typeof DestroyBody> & Static<typeof ActionBody> }>('/v1/domains/:dom/destroy', {
    config: operator,
    schema: { summary: 'virDomainDestroyFlags (through Actions)', tags, params: DomParams, body: { ...DestroyBody, properties: { ...DestroyBody.properties, ...ActionBody.properties } } },
  }, (req) => perform(req, 'destroy', req.body?.graceful === true ? { graceful: true } : {}));
  app.put<Dom & { Body: Static<typeof MemoryBody> }>('/v1/domains/:dom/memory', {
    config: operator,
    schema: { summary: 'virDomainSetMemoryFlags (through Actions)', tags, params: DomParams, body: MemoryBody },
  }, (req) => {
    const memoryFlags = some(trueFlags(req.body, ['live', 'config', 'maximum']));
    return perform(req, 'set-memory', { memoryKiB: req.body.kib, ...(memoryFlags === undefined ? {} : { memoryFlags }) });
  });

  const saveFlags = (b: Static<typeof SaveFlagsBody> | undefined) => trueFlags(b, ['running', 'paused']);
  app.post<Dom & { Body: Static<typeof SaveBody> }>('/v1/domains/:dom/save', {
    config: operator, schema: { summary: 'virDomainSaveFlags (path on the agent host; through Actions)', tags, params: DomParams, body: SaveBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    await checkDefinition?.path('save image', req.body.path);
    const result = await performForApi(actions, req, 'save', dom.uuid, { path: req.body.path, saveFlags: saveFlags(req.body) });
    return { domain: result.domain, outcome: result.outcome };
  });
  app.post<{ Body: Static<typeof SaveBody> }>('/v1/restore', {
    config: operator, schema: { summary: 'virDomainRestoreFlags (path on the agent host; through Actions)', tags, body: SaveBody },
  }, async (req) => {
    await checkDefinition?.path('save image', req.body.path);
    // No domain yet: the audit names the image until the driver names the restored domain.
    const result = await performForApi(actions, req, 'restore', req.body.path, { path: req.body.path, saveFlags: saveFlags(req.body) });
    return { domain: result.domain, outcome: result.outcome };
  });
  app.post<Dom & { Body?: Static<typeof SaveFlagsBody> }>('/v1/domains/:dom/managed-save', {
    config: operator, schema: { summary: 'virDomainManagedSave (through Actions)', tags, params: DomParams, body: SaveFlagsBody },
  }, (req) => perform(req, 'managed-save', { saveFlags: saveFlags(req.body) }));
  app.delete<Dom>('/v1/domains/:dom/managed-save', {
    config: operator, schema: { summary: 'virDomainManagedSaveRemove (through Actions)', tags, params: DomParams },
  }, (req) => perform(req, 'managed-save-remove'));
  return Promise.resolve();
};
