/** Read-only domain routes: list, lookups, info, state, XML and the per-domain flags. */
import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import type { DomainListEntry } from '../../drivers/driver.ts';
import { DomainState, isActiveState, reasonToString, stateToString } from '../../domain/states.ts';
import { resolveDomain, type ApiDeps } from '../deps.ts';
import { DomParams, IdParams, ListQuery, NameParams, UuidParams, XmlQuery } from '../schemas.ts';

type Dom = { Params: Static<typeof DomParams> };

function matches(filter: string, d: DomainListEntry): boolean {
  switch (filter) {
    case 'active': return isActiveState(d.state);
    case 'inactive': return !isActiveState(d.state);
    case 'running': return d.state === DomainState.RUNNING;
    case 'paused': return d.state === DomainState.PAUSED;
    case 'shutoff': return d.state === DomainState.SHUTOFF;
    case 'other': return d.state !== DomainState.RUNNING && d.state !== DomainState.PAUSED && d.state !== DomainState.SHUTOFF;
    default: return true;
  }
}

/** GET routes under /v1/domains. */
export const domainReadRoutes: FastifyPluginAsync<ApiDeps> = (app, { conn }) => {
  const read = { access: 'read' } as const;
  const tags = ['domains'];
  app.get<{ Querystring: Static<typeof ListQuery> }>('/v1/domains', {
    config: read,
    schema: { summary: 'virConnectListAllDomains, with a state filter', tags, querystring: ListQuery },
  }, async (req) => {
    const filter = req.query.state ?? 'all';
    return (await conn.listAllDomains()).filter((d) => matches(filter, d));
  });
  app.get<{ Params: Static<typeof NameParams> }>('/v1/lookup/name/:name', {
    config: read, schema: { summary: 'virDomainLookupByName', tags, params: NameParams },
  }, (req) => conn.lookupByName(req.params.name));
  app.get<{ Params: Static<typeof UuidParams> }>('/v1/lookup/uuid/:uuid', {
    config: read, schema: { summary: 'virDomainLookupByUUIDString', tags, params: UuidParams },
  }, (req) => conn.lookupByUUID(req.params.uuid));
  app.get<{ Params: Static<typeof IdParams> }>('/v1/lookup/id/:id', {
    config: read, schema: { summary: 'virDomainLookupByID', tags, params: IdParams },
  }, (req) => conn.lookupByID(req.params.id));

  app.get<Dom>('/v1/domains/:dom', {
    config: read, schema: { summary: 'look a domain up by id, UUID or name (virsh\'s order)', tags, params: DomParams },
  }, (req) => resolveDomain(conn, req.params.dom));
  app.get<Dom>('/v1/domains/:dom/info', {
    config: read, schema: { summary: 'virDomainGetInfo (cpuTimeNs as a decimal string)', tags, params: DomParams },
  }, async (req) => {
    const info = await conn.getInfo(await resolveDomain(conn, req.params.dom));
    return { ...info, cpuTimeNs: info.cpuTimeNs.toString() };
  });
  app.get<Dom>('/v1/domains/:dom/state', {
    config: read, schema: { summary: 'virDomainGetState: state and reason, as numbers and virsh\'s words', tags, params: DomParams },
  }, async (req) => {
    const s = await conn.getState(await resolveDomain(conn, req.params.dom));
    return { ...s, stateName: stateToString(s.state), reasonName: reasonToString(s.state, s.reason) };
  });
  app.get<Dom & { Querystring: Static<typeof XmlQuery> }>('/v1/domains/:dom/xml', {
    config: read, schema: { summary: 'virDomainGetXMLDesc', tags, params: DomParams, querystring: XmlQuery },
  }, async (req, reply) => {
    const dom = await resolveDomain(conn, req.params.dom);
    const xml = await conn.getXMLDesc(dom, req.query.inactive === true ? { inactive: true } : {});
    return reply.type('application/xml; charset=utf-8').send(xml);
  });
  const flag = (path: string, summary: string, get: (dom: Awaited<ReturnType<typeof resolveDomain>>) => Promise<unknown>): void => {
    app.get<Dom>(`/v1/domains/:dom/${path}`, {
      config: read, schema: { summary, tags, params: DomParams },
    }, async (req) => ({ value: await get(await resolveDomain(conn, req.params.dom)) }));
  };
  flag('os-type', 'virDomainGetOSType', (d) => conn.getOSType(d));
  flag('security-label', 'virDomainGetSecurityLabel', (d) => conn.getSecurityLabel(d));
  flag('active', 'virDomainIsActive', (d) => conn.isActive(d));
  flag('persistent', 'virDomainIsPersistent', (d) => conn.isPersistent(d));
  flag('autostart', 'virDomainGetAutostart', (d) => conn.getAutostart(d));
  flag('managed-save', 'virDomainHasManagedSaveImage', (d) => conn.hasManagedSaveImage(d));
  return Promise.resolve();
};
