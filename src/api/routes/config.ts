/** Definition routes (admin): define, undefine, create from XML, autostart, vCPUs and devices. */
import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import type { AffectFlags } from '../../drivers/driver.ts';
import { parseDeviceXml, parseDomainXml } from '../../domain/xml-parse.ts';
import { resolveDomain, type ApiDeps } from '../deps.ts';
import { AutostartBody, CreateBody, DeviceBody, DomParams, UndefineQuery, VcpusBody, XmlBody } from '../schemas.ts';

type Dom = { Params: Static<typeof DomParams> };
const admin = { access: 'admin' } as const;
const tags = ['definitions'];

function affect(b: { live?: boolean; config?: boolean }): AffectFlags {
  return { ...(b.live === true ? { live: true } : {}), ...(b.config === true ? { config: true } : {}) };
}

/** POST /v1/domains (define), /v1/domains/create, DELETE /v1/domains/:dom, PUT autostart/vcpus, devices. */
export const configRoutes: FastifyPluginAsync<ApiDeps> = (app, { conn, checkDefinition }) => {
  const checkXml = async (xml: string): Promise<void> => { if (checkDefinition !== undefined) await checkDefinition(parseDomainXml(xml)); };
  app.post<{ Body: Static<typeof XmlBody> }>('/v1/domains', {
    config: admin, schema: { summary: 'virDomainDefineXML', tags, body: XmlBody },
  }, async (req, reply) => {
    await checkXml(req.body.xml);
    return reply.code(201).send(await conn.defineXML(req.body.xml));
  });
  app.post<{ Body: Static<typeof CreateBody> }>('/v1/domains/create', {
    config: admin, schema: { summary: 'virDomainCreateXML: a transient domain', tags, body: CreateBody },
  }, async (req, reply) => {
    const b = req.body;
    await checkXml(b.xml);
    const dom = await conn.createXML(b.xml, { ...(b.paused === true ? { paused: true } : {}), ...(b.autodestroy === true ? { autodestroy: true } : {}) });
    return reply.code(201).send(dom);
  });
  app.delete<Dom & { Querystring: Static<typeof UndefineQuery> }>('/v1/domains/:dom', {
    config: admin, schema: { summary: 'virDomainUndefineFlags', tags, params: DomParams, querystring: UndefineQuery },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    await conn.undefine(dom, req.query.managedSave === true ? { managedSave: true } : {});
    return { domain: dom, outcome: 'done' };
  });
  app.put<Dom & { Body: Static<typeof AutostartBody> }>('/v1/domains/:dom/autostart', {
    config: admin, schema: { summary: 'virDomainSetAutostart', tags, params: DomParams, body: AutostartBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    await conn.setAutostart(dom, req.body.autostart);
    return { domain: dom, outcome: 'done' };
  });
  app.put<Dom & { Body: Static<typeof VcpusBody> }>('/v1/domains/:dom/vcpus', {
    config: admin, schema: { summary: 'virDomainSetVcpusFlags', tags, params: DomParams, body: VcpusBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    await conn.setVcpus(dom, req.body.count, affect(req.body));
    return { domain: dom, outcome: 'done' };
  });
  app.post<Dom & { Body: Static<typeof DeviceBody> }>('/v1/domains/:dom/devices', {
    config: admin, schema: { summary: 'virDomainAttachDeviceFlags', tags, params: DomParams, body: DeviceBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    if (checkDefinition !== undefined) await checkDefinition.device(parseDeviceXml(req.body.xml));
    await conn.attachDevice(dom, req.body.xml, affect(req.body));
    return { domain: dom, outcome: 'done' };
  });
  app.post<Dom & { Body: Static<typeof DeviceBody> }>('/v1/domains/:dom/devices/detach', {
    config: admin, schema: { summary: 'virDomainDetachDeviceFlags', tags, params: DomParams, body: DeviceBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    await conn.detachDevice(dom, req.body.xml, affect(req.body));
    return { domain: dom, outcome: 'done' };
  });
  return Promise.resolve();
};
