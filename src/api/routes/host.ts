/** Connection and node routes: what `virtmon uri`, `version`, `hostname` and `nodeinfo` read. */
import type { FastifyPluginAsync } from 'fastify';
import { formatUri } from '../../drivers/uri.ts';
import type { ApiDeps } from '../deps.ts';

/** GET /v1/connection, /v1/node, /v1/node/security-model. */
export const hostRoutes: FastifyPluginAsync<ApiDeps> = (app, { conn }) => {
  app.get('/v1/connection', {
    config: { access: 'read' },
    schema: { summary: 'the agent\'s connection: URI, driver, hypervisor type, version, hostname', tags: ['host'] },
  }, async () => ({
    uri: formatUri(conn.uri),
    driver: conn.driverName,
    type: conn.supports('getType') ? conn.getType() : null,
    version: conn.supports('getVersion') ? await conn.getVersion() : null,
    hostname: conn.supports('getHostname') ? await conn.getHostname() : null,
  }));
  app.get('/v1/node', {
    config: { access: 'read' },
    schema: { summary: 'virNodeGetInfo', tags: ['host'] },
  }, () => conn.nodeGetInfo());
  app.get('/v1/node/security-model', {
    config: { access: 'read' },
    schema: { summary: 'virNodeGetSecurityModel', tags: ['host'] },
  }, () => conn.nodeGetSecurityModel());
  return Promise.resolve();
};
