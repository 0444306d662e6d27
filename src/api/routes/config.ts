/**
 * Definition routes (admin): define, undefine, create from XML, autostart, vCPUs and devices, each
 * through `Actions` (audited and counted once by the guarded service, source `api`).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import type { AffectFlags } from '../../drivers/driver.ts';
import { parseDeviceXml, parseDomainXml } from '../../domain/xml-parse.ts';
import { resolveDomain, type ApiDeps } from '../deps.ts';
import { AutostartBody, CreateBody, DeviceBody, DomParams, UndefineQuery, VcpusBody, XmlBody } from '../schemas.ts';
import { performForApi, trueFlags } from './through-actions.ts';

type Dom = { Params: Static<typeof DomParams> };
const admin = { access: 'admin' } as const;
const tags = ['definitions'];

function affect(b: { live?: boolean; config?: boolean }): AffectFlags {
  return { ...(b.live === true ? { live: true } : {}), ...(b.config === true ? { config: true } : {}) };
}

/**
 * The audit label of a domain still to be defined: the first `<name>` of the XML, best effort. It is
 * not a parse (the driver's own parse and its error wording stay the only ones); the audit entry of a
 * success names the domain the driver made.
 */
function xmlName(xml: string): string {
  return /<name>\s*([^<]{1,200}?)\s*<\/name>/.exec(xml)?.[1] ?? '';
}

/** POST /v1/domains (define), /v1/domains/create, DELETE /v1/domains/:dom, PUT autostart/vcpus, devices. */
export const configRoutes: FastifyPluginAsync<ApiDeps> = (app, { conn, actions, checkDefinition }) => {
  const checkXml = async (xml: string): Promise<void> => { if (checkDefinition !== undefined) await checkDefinition(parseDomainXml(xml)); };
  app.post<{ Body: Static<typeof XmlBody> }>('/v1/domains', {
    config: admin, schema: { summary: 'virDomainDefineXML', tags, body: XmlBody },
  }, async (req, reply) => {
    await checkXml(req.body.xml);
    const result = await performForApi(actions, req, 'define', xmlName(req.body.xml), { xml: req.body.xml });
    // A dry run made nothing: say so instead of a 201 with a domain that does not exist.
    if (result.outcome !== 'done') return { domain: result.domain, outcome: result.outcome };
    return reply.code(201).send(result.domain);
  });
  app.post<{ Body: Static<typeof CreateBody> }>('/v1/domains/create', {
    config: admin, schema: { summary: 'virDomainCreateXML: a transient domain', tags, body: CreateBody },
  }, async (req, reply) => {
    const b = req.body;
    await checkXml(b.xml);
    const result = await performForApi(actions, req, 'create', xmlName(b.xml), { xml: b.xml, startFlags: trueFlags(b, ['paused', 'autodestroy']) });
    if (result.outcome !== 'done') return { domain: result.domain, outcome: result.outcome };
    return reply.code(201).send(result.domain);
  });
  app.delete<Dom & { Querystring: Static<typeof UndefineQuery> }>('/v1/domains/:dom', {
    config: admin, schema: { summary: 'virDomainUndefineFlags', tags, params: DomParams, querystring: UndefineQuery },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    const result = await performForApi(actions, req, 'undefine', dom.uuid, req.query.managedSave === true ? { managedSave: true } : {});
    return { domain: result.domain, outcome: result.outcome };
  });
  app.put<Dom & { Body: Static<typeof AutostartBody> }>('/v1/domains/:dom/autostart', {
    config: admin, schema: { summary: 'virDomainSetAutostart', tags, params: DomParams, body: AutostartBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    const result = await performForApi(actions, req, 'set-autostart', dom.uuid, { autostart: req.body.autostart });
    return { domain: result.domain, outcome: result.outcome };
  });
  app.put<Dom & { Body: Static<typeof VcpusBody> }>('/v1/domains/:dom/vcpus', {
    config: admin, schema: { summary: 'virDomainSetVcpusFlags', tags, params: DomParams, body: VcpusBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    const result = await performForApi(actions, req, 'set-vcpus', dom.uuid, { vcpus: req.body.count, affect: affect(req.body) });
    return { domain: result.domain, outcome: result.outcome };
  });
  app.post<Dom & { Body: Static<typeof DeviceBody> }>('/v1/domains/:dom/devices', {
    config: admin, schema: { summary: 'virDomainAttachDeviceFlags', tags, params: DomParams, body: DeviceBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    if (checkDefinition !== undefined) await checkDefinition.device(parseDeviceXml(req.body.xml));
    const result = await performForApi(actions, req, 'attach-device', dom.uuid, { xml: req.body.xml, affect: affect(req.body) });
    return { domain: result.domain, outcome: result.outcome };
  });
  app.post<Dom & { Body: Static<typeof DeviceBody> }>('/v1/domains/:dom/devices/detach', {
    config: admin, schema: { summary: 'virDomainDetachDeviceFlags', tags, params: DomParams, body: DeviceBody },
  }, async (req) => {
    const dom = await resolveDomain(conn, req.params.dom);
    const result = await performForApi(actions, req, 'detach-device', dom.uuid, { xml: req.body.xml, affect: affect(req.body) });
    return { domain: result.domain, outcome: result.outcome };
  });
  return Promise.resolve();
};
