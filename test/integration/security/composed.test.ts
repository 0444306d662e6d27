import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordingLogger } from '../../../src/domain/logger.ts';
import { auditPlugin, type ApiAuditRecord } from '../../../src/security/audit-plugin.ts';
import { authPlugin } from '../../../src/security/auth-plugin.ts';
import { limitsPlugin } from '../../../src/security/limits-plugin.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { createTokenVerifier } from '../../../src/security/token-verifier.ts';
import { addTestRoutes, captureFastify } from '../../helpers/security-app.ts';

const OP = 'composed-operator-secret';

/** The three plugins in the order the agent registers them: audit, limits, auth, then routes. */
async function composed() {
  const audit: ApiAuditRecord[] = [];
  const calls: string[] = [];
  const logger = recordingLogger();
  const { app } = captureFastify();
  await app.register(auditPlugin, { sink: { record: (e) => { audit.push(e); } }, logger });
  await app.register(limitsPlugin, { limits: { bodyBytes: 16 * 1024, xmlDepth: 32, ratePerSecond: 0.001, burst: 20, opsPerDomain: 1 } });
  await app.register(authPlugin, { verifier: createTokenVerifier([{ name: 'op', role: 'operator', hash: await hashTokenSecret(OP, 'scrypt') }], Date.now), allowRemote: false, logger });
  addTestRoutes(app, calls);
  await app.ready();
  return { app, audit, calls };
}

test('a flood of wrong tokens is cut by the rate limit before any token is hashed, and audited', async (t) => {
  const s = await composed();
  t.after(() => s.app.close());
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) {
    statuses.push((await s.app.inject({ method: 'POST', url: '/api/v1/domains/d/destroy', headers: { authorization: `Bearer wrong-${i}` } })).statusCode);
  }
  assert.deepEqual(statuses, [...Array<number>(20).fill(401), ...Array<number>(5).fill(429)]);
  assert.deepEqual(s.audit.map((a) => a.code).slice(18), ['VIR_ERR_AUTH_FAILED', 'VIR_ERR_AUTH_FAILED', ...Array<string>(5).fill('VIRTMON_ERR_RATE_LIMITED')]);
  assert.deepEqual(s.calls, []);
  // /metrics keeps its own policy: neither token nor rate limit.
  assert.equal((await s.app.inject({ url: '/metrics' })).statusCode, 200);
});

test('an oversized or hostile body from a valid operator changes nothing and is audited with its code', async (t) => {
  const s = await composed();
  t.after(() => s.app.close());
  const headers = { authorization: `Bearer ${OP}`, 'content-type': 'application/json' };
  const big = await s.app.inject({ method: 'POST', url: '/api/v1/domains/d/destroy', headers, payload: JSON.stringify({ pad: 'x'.repeat(20_000) }) });
  assert.equal(big.statusCode, 413);
  const xml = await s.app.inject({ method: 'POST', url: '/api/v1/domains/d/destroy', headers, payload: JSON.stringify({ xml: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/shadow">]><domain>&e;</domain>' }) });
  assert.equal(xml.statusCode, 400);
  const ok = await s.app.inject({ method: 'POST', url: '/api/v1/domains/d/destroy', headers, payload: '{}' });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(s.calls, ['destroy d']);
  assert.deepEqual(s.audit.map((a) => [a.actor, a.status]), [['op', 413], ['op', 400], ['op', 200]]);
  assert.equal(s.audit[1]?.code, 'VIR_ERR_XML_ERROR');
});
