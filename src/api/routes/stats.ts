/** Latest statistics from the collection's snapshot: no I/O, never waits on a hypervisor. */
import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import { noDomainWithName } from '../../domain/errors.ts';
import { normalizeUuid } from '../../domain/domain-ref.ts';
import { sampleToJson, type ApiDeps } from '../deps.ts';
import { DomParams } from '../schemas.ts';

/** GET /v1/stats, /v1/domains/:dom/stats. */
export const statsRoutes: FastifyPluginAsync<ApiDeps> = (app, { latest }) => {
  app.get('/v1/stats', {
    config: { access: 'read' },
    schema: { summary: 'latest sample of every domain (libvirt bulk-stats field names; 64-bit counters as strings)', tags: ['stats'] },
  }, () => latest().map(sampleToJson));
  app.get<{ Params: Static<typeof DomParams> }>('/v1/domains/:dom/stats', {
    config: { access: 'read' },
    schema: { summary: 'latest sample of one domain (name, UUID or id)', tags: ['stats'], params: DomParams },
  }, (req) => {
    const dom = req.params.dom;
    const uuid = normalizeUuid(dom);
    const found = latest().find((s) => s.name === dom || s.uuid === uuid || (/^\d+$/.test(dom) && s.id === Number(dom)));
    if (found === undefined) throw noDomainWithName(dom);
    return sampleToJson(found);
  });
  return Promise.resolve();
};
