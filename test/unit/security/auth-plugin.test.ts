import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordingLogger } from '../../../src/domain/logger.ts';
import { auditPlugin, type ApiAuditRecord } from '../../../src/security/audit-plugin.ts';
import { authPlugin } from '../../../src/security/auth-plugin.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { createTokenVerifier } from '../../../src/security/token-verifier.ts';
import type { ResolvedToken } from '../../../src/config/blocks/auth.ts';
import { addTestRoutes, captureFastify } from '../../helpers/security-app.ts';

const SECRETS = { reader: 'r3ader-SECRET-value-1', op: 'op3rator-SECRET-value-2', admin: 'adm1n-SECRET-value-3', old: 'exp1red-SECRET-value-4', human: 'CorrectHorseBatteryStaple!' };
const NOW = Date.parse('2026-12-06T00:00:00Z');

async function setup(options: { allowRemote?: boolean } = {}) {
  const tokens: ResolvedToken[] = [
    { name: 'reader', role: 'read-only', hash: await hashTokenSecret(SECRETS.reader) },
    { name: 'op', role: 'operator', hash: await hashTokenSecret(SECRETS.op) },
    { name: 'admin', role: 'admin', hash: await hashTokenSecret(SECRETS.admin) },
    { name: 'old', role: 'admin', hash: await hashTokenSecret(SECRETS.old), expiresAtMs: NOW - 1000 },
    { name: 'human', role: 'operator', hash: await hashTokenSecret(SECRETS.human, 'scrypt') },
  ];
  const logger = recordingLogger();
  const audit: ApiAuditRecord[] = [];
  const calls: string[] = [];
  const { app, log } = captureFastify();
  await app.register(auditPlugin, { sink: { record: (e) => { audit.push(e); } }, logger, now: () => NOW });
  await app.register(authPlugin, { verifier: createTokenVerifier(tokens, () => NOW), allowRemote: options.allowRemote ?? false, logger });
  addTestRoutes(app, calls);
  await app.ready();
  return { app, logger, audit, calls, log };
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

test('no token → 401 VIR_ERR_AUTH_FAILED and the handler never runs', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  const res = await s.app.inject({ method: 'POST', url: '/api/v1/domains/test/destroy' });
  assert.equal(res.statusCode, 401);
  const body = res.json<{ error: { code: string; message: string } }>();
  assert.equal(body.error.code, 'VIR_ERR_AUTH_FAILED');
  assert.match(body.error.message, /^authentication failed: no token/);
  assert.deepEqual(s.calls, []);
});

test('a read-only token reads but gets 403 VIR_ERR_ACCESS_DENIED on destroy; operator destroys; admin defines', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  assert.equal((await s.app.inject({ url: '/api/v1/domains', headers: bearer(SECRETS.reader) })).statusCode, 200);
  const denied = await s.app.inject({ method: 'POST', url: '/api/v1/domains/test/destroy', headers: bearer(SECRETS.reader) });
  assert.equal(denied.statusCode, 403);
  assert.equal(denied.json<{ error: { code: string } }>().error.code, 'VIR_ERR_ACCESS_DENIED');
  assert.match(denied.body, /token 'reader' has role read-only; this operation needs operator/);
  assert.equal((await s.app.inject({ method: 'POST', url: '/api/v1/domains', headers: bearer(SECRETS.op) })).statusCode, 403);
  assert.equal((await s.app.inject({ method: 'POST', url: '/api/v1/domains/test/destroy', headers: bearer(SECRETS.op) })).statusCode, 200);
  assert.equal((await s.app.inject({ method: 'POST', url: '/api/v1/domains', headers: bearer(SECRETS.admin) })).statusCode, 200);
  assert.deepEqual(s.calls, ['list', 'destroy test', 'define']);
});

test('wrong, expired and malformed tokens → 401, and no log line (ours or fastify\'s) holds the secret', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  const wrong = 'wr0ng-SECRET-nobody-has';
  for (const [headers, message] of [
    [bearer(wrong), 'authentication failed: invalid token'],
    [bearer(SECRETS.old), 'authentication failed: token has expired'],
    [{ authorization: `Basic ${Buffer.from(`u:${wrong}`).toString('base64')}` }, 'authentication failed: malformed Authorization header (expected "Bearer <token>")'],
    [bearer('x'.repeat(600)), 'authentication failed: malformed Authorization header (expected "Bearer <token>")'],
  ] as const) {
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/domains/test/destroy', headers });
    assert.equal(res.statusCode, 401, message);
    assert.equal(res.json<{ error: { message: string } }>().error.message, message);
    assert.ok(!res.body.includes(wrong) && !res.body.includes(SECRETS.old));
  }
  assert.deepEqual(s.calls, []);
  const ours = JSON.stringify(s.logger.lines);
  const fastify = s.log.lines.join('');
  assert.ok(s.log.lines.length > 0, 'fastify logged the requests');
  for (const text of [ours, fastify]) {
    for (const secret of [wrong, SECRETS.old, Buffer.from(`u:${wrong}`).toString('base64'), 'x'.repeat(600)]) {
      assert.ok(!text.includes(secret), 'a secret reached a log');
    }
  }
  assert.ok(s.logger.lines.some((l) => l.fields.reason === 'expired' && l.fields.token === 'old'), 'the expired token is named');
});

test('an scrypt-hashed token works (and is cached after the first check)', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  for (let i = 0; i < 3; i++) {
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/domains/x/destroy', headers: bearer(SECRETS.human) });
    assert.equal(res.statusCode, 200);
  }
  assert.equal(s.audit.at(-1)?.actor, 'human');
});

test('/metrics and /healthz need no token; unknown URLs and undeclared routes do', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  assert.equal((await s.app.inject({ url: '/metrics' })).statusCode, 200);
  assert.equal((await s.app.inject({ url: '/healthz' })).statusCode, 200);
  assert.equal((await s.app.inject({ url: '/nope' })).statusCode, 401);
  assert.equal((await s.app.inject({ url: '/nope', headers: bearer(SECRETS.reader) })).statusCode, 404);
  // A route that forgot its access level is admin-only (fail closed).
  assert.equal((await s.app.inject({ url: '/api/v1/undeclared', headers: bearer(SECRETS.op) })).statusCode, 403);
  assert.equal((await s.app.inject({ url: '/api/v1/undeclared', headers: bearer(SECRETS.admin) })).statusCode, 200);
});

test('non-loopback peers are refused unless remote access is on', async (t) => {
  const closed = await setup();
  t.after(() => closed.app.close());
  const res = await closed.app.inject({ url: '/api/v1/domains', remoteAddress: '192.0.2.7', headers: bearer(SECRETS.admin) });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /remote access is disabled/);
  assert.equal((await closed.app.inject({ url: '/metrics', remoteAddress: '192.0.2.7' })).statusCode, 200);
  assert.equal((await closed.app.inject({ url: '/api/v1/domains', remoteAddress: '::ffff:127.0.0.1', headers: bearer(SECRETS.reader) })).statusCode, 200);
  const open = await setup({ allowRemote: true });
  t.after(() => open.app.close());
  assert.equal((await open.app.inject({ url: '/api/v1/domains', remoteAddress: '192.0.2.7', headers: bearer(SECRETS.reader) })).statusCode, 200);
});

test('every change is audited with actor, route, params and outcome; reads are not', async (t) => {
  const s = await setup();
  t.after(() => s.app.close());
  await s.app.inject({ url: '/api/v1/domains', headers: bearer(SECRETS.reader) });
  await s.app.inject({ method: 'POST', url: '/api/v1/domains/web1/destroy', headers: bearer(SECRETS.reader) });
  await s.app.inject({ method: 'POST', url: '/api/v1/domains/web1/destroy' });
  await s.app.inject({ method: 'POST', url: '/api/v1/domains/web1/destroy', headers: bearer(SECRETS.op) });
  assert.deepEqual(s.audit.map((a) => [a.actor, a.role, a.method, a.route, a.params.domain, a.status, a.code]), [
    [null, null, 'POST', '/api/v1/domains/:domain/destroy', 'web1', 403, 'VIR_ERR_ACCESS_DENIED'],
    [null, null, 'POST', '/api/v1/domains/:domain/destroy', 'web1', 401, 'VIR_ERR_AUTH_FAILED'],
    ['op', 'operator', 'POST', '/api/v1/domains/:domain/destroy', 'web1', 200, undefined],
  ]);
  assert.equal(s.audit[0]?.time, '2026-12-06T00:00:00.000Z');
  assert.equal(s.audit[0]?.client, '127.0.0.1');
});

test('a failing audit sink is logged and does not fail the request', async (t) => {
  const logger = recordingLogger();
  const { app } = captureFastify();
  t.after(() => app.close());
  await app.register(auditPlugin, { sink: { record: () => Promise.reject(new Error('disk full')) }, logger });
  await app.register(authPlugin, { verifier: createTokenVerifier([{ name: 'a', role: 'admin', hash: await hashTokenSecret('s3cret-s3cret') }], Date.now), allowRemote: false, logger });
  addTestRoutes(app);
  const res = await app.inject({ method: 'POST', url: '/api/v1/domains', headers: bearer('s3cret-s3cret') });
  assert.equal(res.statusCode, 200);
  await new Promise((r) => setImmediate(r));
  assert.ok(logger.lines.some((l) => l.level === 'error' && l.message === 'audit record could not be written' && l.fields.err === 'disk full'));
});
