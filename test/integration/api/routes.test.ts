import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createDirectActions } from '../../../src/actions/direct.ts';
import { buildApiServer } from '../../../src/api/server.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { open } from '../../../src/drivers/index.ts';

let conn: Connection;
let app: FastifyInstance;
let ro: FastifyInstance;

before(async () => {
  conn = await open('test:///default');
  const deps = { conn, actions: createDirectActions(conn), latest: () => [] };
  app = await buildApiServer({ ...deps, readOnly: false });
  ro = await buildApiServer({ ...deps, readOnly: true });
});
after(async () => {
  await app.close();
  await ro.close();
  await conn.close();
});

const TEST_UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';

test('list with a state filter, lookups by name, UUID and id', async () => {
  const all = await app.inject('/v1/domains');
  assert.equal(all.statusCode, 200);
  assert.deepEqual(all.json<{ name: string }[]>().map((d) => d.name), ['test']);
  assert.deepEqual((await app.inject('/v1/domains?state=shutoff')).json(), []);
  assert.equal((await app.inject('/v1/domains?state=running')).json<unknown[]>().length, 1);
  const bad = await app.inject('/v1/domains?state=sleeping');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json<{ code: string }>().code, 'VIRTMON_ERR_REQUEST');
  assert.match(bad.json<{ message: string }>().message, /^invalid request: querystring\/state /);
  for (const url of ['/v1/lookup/name/test', `/v1/lookup/uuid/${TEST_UUID}`, '/v1/lookup/id/1', '/v1/domains/test', '/v1/domains/1', `/v1/domains/${TEST_UUID}`]) {
    assert.deepEqual((await app.inject(url)).json(), { name: 'test', uuid: TEST_UUID, id: 1 }, url);
  }
});

test('info, state with reason, XML (live and inactive) and the per-domain flags', async () => {
  const info = (await app.inject('/v1/domains/test/info')).json<{ maxMemKiB: number; cpuTimeNs: string }>();
  assert.equal(info.maxMemKiB, 8388608);
  assert.match(info.cpuTimeNs, /^\d+$/);
  assert.deepEqual((await app.inject('/v1/domains/test/state')).json(), { state: 1, reason: 0, stateName: 'running', reasonName: 'unknown' });
  const xml = await app.inject('/v1/domains/test/xml');
  assert.match(xml.headers['content-type'] as string, /^application\/xml/);
  assert.match(xml.body, /^<domain type='test' id='1'>/);
  assert.match((await app.inject('/v1/domains/test/xml?inactive=true')).body, /^<domain type='test'>/);
  assert.deepEqual((await app.inject('/v1/domains/test/persistent')).json(), { value: true });
  assert.deepEqual((await app.inject('/v1/domains/test/autostart')).json(), { value: false });
  assert.deepEqual((await app.inject('/v1/domains/test/os-type')).json(), { value: 'linux' });
});

test('errors carry the catalog code, libvirt code, HTTP status and libvirt wording', async () => {
  const missing = await app.inject('/v1/domains/nosuch/info');
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), {
    code: 'VIR_ERR_NO_DOMAIN', libvirtCode: 42, message: "Domain not found: no domain with matching name 'nosuch'",
    detail: "no domain with matching name 'nosuch'",
  });
  const resume = await app.inject({ method: 'POST', url: '/v1/domains/test/resume' });
  assert.equal(resume.statusCode, 409);
  assert.equal(resume.json<{ message: string }>().message, 'Requested operation is not valid: domain is already running');
  const noPath = await app.inject({ method: 'POST', url: '/v1/domains/test/save', payload: {} });
  assert.equal(noPath.statusCode, 400);
  assert.deepEqual(noPath.json(), { code: 'VIRTMON_ERR_REQUEST', libvirtCode: 0, message: 'invalid request: body/path is required', detail: 'body/path is required', key: 'body/path' });
  const extra = await app.inject({ method: 'PUT', url: '/v1/domains/test/memory', payload: { kib: 1024, bogus: true } });
  assert.equal(extra.json<{ message: string }>().message, 'invalid request: body/bogus is not a known field');
  const notJson = await app.inject({ method: 'POST', url: '/v1/domains', headers: { 'content-type': 'application/json' }, payload: '{' });
  assert.equal(notJson.statusCode, 400);
  assert.equal(notJson.json<{ code: string }>().code, 'VIRTMON_ERR_REQUEST');
  const noRoute = await app.inject('/v1/nothing');
  assert.equal(noRoute.statusCode, 404);
  assert.equal(noRoute.json<{ code: string }>().code, 'VIRTMON_ERR_REQUEST');
});

test('lifecycle through the API: suspend, resume, destroy, start, save, restore', async (t) => {
  const post = (url: string, payload: object = {}) => app.inject({ method: 'POST', url, payload });
  assert.deepEqual((await post('/v1/domains/test/suspend')).json(), { domain: { name: 'test', uuid: TEST_UUID, id: 1 }, outcome: 'done' });
  assert.equal((await app.inject('/v1/domains/test/state')).json<{ reasonName: string }>().reasonName, 'user');
  assert.equal((await post('/v1/domains/test/resume')).statusCode, 200);
  assert.equal((await post('/v1/domains/test/destroy')).statusCode, 200);
  assert.equal((await app.inject('/v1/domains/test/state')).json<{ stateName: string; reasonName: string }>().reasonName, 'destroyed');
  const started = await post('/v1/domains/test/start', { paused: true });
  assert.equal(started.json<{ domain: { id: number } }>().domain.id, 2);
  assert.equal((await app.inject('/v1/domains/test/state')).json<{ stateName: string }>().stateName, 'paused');
  const image = `/tmp/vmt-api-${process.pid}.save`;
  t.after(async () => { await import('node:fs/promises').then((fs) => fs.rm(image, { force: true })); });
  assert.equal((await post('/v1/domains/test/save', { path: image })).statusCode, 200);
  assert.equal((await app.inject('/v1/domains/test/state')).json<{ reasonName: string }>().reasonName, 'saved');
  const restored = await post('/v1/restore', { path: image, running: true });
  assert.equal(restored.statusCode, 200);
  assert.equal((await app.inject('/v1/domains/test/state')).json<{ stateName: string }>().stateName, 'running');
});

test('define, autostart, undefine and transient create', async () => {
  const xml = "<domain type='test'><name>vmt-api</name><memory>1024</memory><os><type>hvm</type></os></domain>";
  const defined = await app.inject({ method: 'POST', url: '/v1/domains', payload: { xml } });
  assert.equal(defined.statusCode, 201);
  assert.equal(defined.json<{ name: string; id: number }>().id, -1);
  assert.equal((await app.inject({ method: 'PUT', url: '/v1/domains/vmt-api/autostart', payload: { autostart: true } })).statusCode, 200);
  assert.deepEqual((await app.inject('/v1/domains/vmt-api/autostart')).json(), { value: true });
  assert.equal((await app.inject({ method: 'DELETE', url: '/v1/domains/vmt-api' })).statusCode, 200);
  assert.equal((await app.inject('/v1/domains/vmt-api')).statusCode, 404);
  const created = await app.inject({ method: 'POST', url: '/v1/domains/create', payload: { xml: xml.replace('vmt-api', 'vmt-tr') } });
  assert.equal(created.statusCode, 201);
  assert.deepEqual((await app.inject('/v1/domains/vmt-tr/persistent')).json(), { value: false });
  const bad = await app.inject({ method: 'POST', url: '/v1/domains', payload: { xml: '<domain' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json<{ code: string }>().code, 'VIR_ERR_XML_ERROR');
});

test('a read-only app serves reads and refuses every change with OPERATION_DENIED', async () => {
  assert.equal((await ro.inject('/v1/domains')).statusCode, 200);
  for (const [method, url] of [['POST', '/v1/domains/test/suspend'], ['POST', '/v1/domains'], ['DELETE', '/v1/domains/test'], ['PUT', '/v1/domains/test/memory']] as const) {
    const r = await ro.inject({ method, url, payload: {} });
    assert.equal(r.statusCode, 403, url);
    assert.deepEqual(r.json(), { code: 'VIR_ERR_OPERATION_DENIED', libvirtCode: 29, message: 'operation forbidden for read only access' });
  }
});

test('the OpenAPI document describes every /v1 route', async () => {
  const doc = (await ro.inject('/v1/openapi.json')).json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
  assert.match(doc.openapi, /^3\./);
  const routes = app.printRoutes({ commonPrefix: false });
  for (const path of ['/v1/domains', '/v1/domains/{dom}/suspend', '/v1/domains/{dom}/xml', '/v1/events', '/v1/stats', '/v1/restore']) {
    assert.ok(doc.paths[path] !== undefined, `${path} in ${Object.keys(doc.paths).join(' ')}`);
  }
  assert.ok(routes.includes('openapi.json'));
  assert.ok(doc.paths['/v1/domains']?.post !== undefined);
});

test('a route without an access level cannot be registered', async () => {
  const fresh = await buildApiServer({ conn, actions: createDirectActions(conn), latest: () => [], readOnly: false });
  try {
    assert.throws(() => fresh.get('/v1/unguarded', () => 'x'), /declares no config\.access/);
  } finally {
    await fresh.close();
  }
});
