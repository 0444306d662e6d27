import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { createDomainGate, mapBusyError } from '../../../src/security/domain-gate.ts';
import { limitsPlugin } from '../../../src/security/limits-plugin.ts';
import { createRateLimiter } from '../../../src/security/rate-limiter.ts';
import { captureFastify } from '../../helpers/security-app.ts';

const LIMITS = { bodyBytes: 64 * 1024, xmlDepth: 16, ratePerSecond: 5, burst: 10, opsPerDomain: 1 };

async function setup(limits = LIMITS) {
  let now = 0;
  const defined: unknown[] = [];
  const gates = new Map<string, () => void>();
  const { app } = captureFastify();
  await app.register(limitsPlugin, { limits, now: () => now });
  app.get('/metrics', () => Promise.resolve('m\n'));
  app.get('/api/v1/domains', { config: { access: 'read' } }, () => Promise.resolve([]));
  app.post('/api/v1/domains', { config: { access: 'admin' } }, (request) => {
    defined.push(request.body);
    return Promise.resolve({ outcome: 'done' });
  });
  // A lifecycle op that finishes when the test says so.
  app.post<{ Params: { domain: string } }>('/api/v1/domains/:domain/start', { config: { access: 'operator' } },
    (request) => new Promise((resolve) => gates.set(request.params.domain, () => resolve({ outcome: 'done' }))));
  await app.ready();
  return { app, defined, gates, tick: (ms: number) => { now += ms; } };
}

const code = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

test('rate: a burst passes, then 429 with Retry-After; tokens come back with time; /metrics is exempt', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await s.app.inject({ url: '/api/v1/domains' })).statusCode);
  assert.deepEqual(statuses, [...Array<number>(10).fill(200), 429, 429]);
  const limited = await s.app.inject({ url: '/api/v1/domains' });
  assert.equal(limited.headers['retry-after'], '1');
  assert.equal(code(limited.body).code, 'VIRTMON_ERR_RATE_LIMITED');
  assert.equal((await s.app.inject({ url: '/metrics' })).statusCode, 200);
  // Another client has its own bucket.
  assert.equal((await s.app.inject({ url: '/api/v1/domains', remoteAddress: '127.0.0.2' })).statusCode, 200);
  s.tick(1000);
  const after = [];
  for (let i = 0; i < 6; i++) after.push((await s.app.inject({ url: '/api/v1/domains' })).statusCode);
  assert.deepEqual(after, [200, 200, 200, 200, 200, 429]);
});

test('body: 10 MB is refused with 413 before it is read; the route limit cannot be raised past the cap', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  const big = await s.app.inject({ method: 'POST', url: '/api/v1/domains', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ xml: 'x'.repeat(10 * 1024 * 1024) }) });
  assert.equal(big.statusCode, 413);
  const bigXml = await s.app.inject({ method: 'POST', url: '/api/v1/domains', headers: { 'content-type': 'application/xml' }, payload: `<domain>${'<a/>'.repeat(3 * 1024 * 1024)}</domain>` });
  assert.equal(bigXml.statusCode, 413);
  assert.deepEqual(s.defined, []);
});

test('XML: entities, DOCTYPE and deep nesting are refused with a position; a sane document passes', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  const post = (payload: string, type = 'application/xml') =>
    s.app.inject({ method: 'POST', url: '/api/v1/domains', headers: { 'content-type': type }, payload });
  const bomb = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n<domain>&b;</domain>';
  const r1 = await post(bomb);
  assert.equal(r1.statusCode, 400);
  assert.deepEqual([code(r1.body).code, code(r1.body).message], ['VIR_ERR_XML_ERROR', 'XML error: line 2, column 1: DOCTYPE declarations are not allowed']);
  const r2 = await post('<domain><name>&xxe;</name></domain>');
  assert.match(code(r2.body).message, /entity reference '&xxe;' is not allowed/);
  const r3 = await post(`${'<a>'.repeat(17)}${'</a>'.repeat(17)}`);
  assert.match(code(r3.body).message, /nested deeper than 16 levels/);
  const r4 = await post(JSON.stringify({ xml: `${'<a>'.repeat(40)}${'</a>'.repeat(40)}` }), 'application/json');
  assert.equal(r4.statusCode, 400);
  const r5 = await post(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json');
  assert.equal(r5.statusCode, 400);
  assert.match(code(r5.body).message, /nested deeper than 16 levels/);
  assert.deepEqual(s.defined, []);
  assert.equal((await post('<domain type="test"><name>ok</name></domain>')).statusCode, 200);
  assert.deepEqual(s.defined, ['<domain type="test"><name>ok</name></domain>']);
});

test('ops per domain: a second change of a busy domain gets 409 at once; other domains and reads are not held', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  const first = s.app.inject({ method: 'POST', url: '/api/v1/domains/web1/start' });
  await new Promise((r) => setTimeout(r, 20));
  const second = await s.app.inject({ method: 'POST', url: '/api/v1/domains/web1/start' });
  assert.equal(second.statusCode, 409);
  assert.deepEqual([code(second.body).code, code(second.body).message],
    ['VIR_ERR_RESOURCE_BUSY', "resource busy: domain 'web1' is busy with another request; retry when it has finished"]);
  const other = s.app.inject({ method: 'POST', url: '/api/v1/domains/web2/start' });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal((await s.app.inject({ url: '/api/v1/domains' })).statusCode, 200);
  s.gates.get('web1')?.();
  s.gates.get('web2')?.();
  assert.equal((await first).statusCode, 200);
  assert.equal((await other).statusCode, 200);
  // The slot came back.
  const again = s.app.inject({ method: 'POST', url: '/api/v1/domains/web1/start' });
  await new Promise((r) => setTimeout(r, 20));
  s.gates.get('web1')?.();
  assert.equal((await again).statusCode, 200);
});

test('the gate gives slots back once, and the driver lock timeout maps to 409 RESOURCE_BUSY', () => {
  const gate = createDomainGate(2);
  const a = gate.enter('d');
  gate.enter('d');
  assert.throws(() => gate.enter('d'), (e: unknown) => e instanceof VirtmonError && e.httpStatus === 409);
  a();
  a();
  assert.equal(gate.inFlight('d'), 1);
  const lock = new VirtmonError('VIR_ERR_OPERATION_TIMEOUT', 'cannot acquire state change lock (held by virDomainCreate)');
  const mapped = mapBusyError(lock);
  assert.ok(mapped instanceof VirtmonError);
  assert.deepEqual([mapped.code, mapped.httpStatus, mapped.message], ['VIR_ERR_RESOURCE_BUSY', 409, 'resource busy: cannot acquire state change lock (held by virDomainCreate)']);
  const other = new VirtmonError('VIR_ERR_OPERATION_TIMEOUT', 'QMP command query-status');
  assert.equal(mapBusyError(other), other);
});

test('the rate table is bounded', () => {
  const limiter = createRateLimiter({ ratePerSecond: 1, burst: 1, now: () => 0, maxClients: 100 });
  for (let i = 0; i < 1000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
  assert.equal(limiter.size, 100);
  assert.throws(() => createRateLimiter({ ratePerSecond: 0, burst: 1, now: () => 0 }), RangeError);
});
