import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { buildStandinApi } from '../../helpers/standin-api.ts';
import { openTest } from '../../helpers/test-driver.ts';

const ADMIN = 'hostile-admin-secret';
const READ = 'hostile-read-secret';

async function setup(t: { after: (fn: () => Promise<void> | void) => void }) {
  const roots = mkdtempSync(join(tmpdir(), 'vmt-hostile-'));
  const { conn } = await openTest('default');
  const app = await buildStandinApi({
    conn,
    tokens: [
      { name: 'admin', role: 'admin', hash: await hashTokenSecret(ADMIN) },
      { name: 'read', role: 'read-only', hash: await hashTokenSecret(READ) },
    ],
    limits: { bodyBytes: 1024 * 1024, xmlDepth: 64, ratePerSecond: 1000, burst: 1000, opsPerDomain: 1 },
    imageRoots: [roots],
    audit: () => undefined,
  });
  t.after(async () => { await app.close(); await conn.close(); rmSync(roots, { recursive: true, force: true }); });
  const state = async () => JSON.stringify(await conn.listAllDomains());
  return { app, roots, state };
}

const as = (secret: string) => ({ authorization: `Bearer ${secret}`, 'content-type': 'application/json' });
const err = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

test('no token 401, read-only destroy 403, and the domain keeps running', async (t) => {
  const s = await setup(t);
  const before = await s.state();
  const none = await s.app.inject({ method: 'POST', url: '/api/v1/domains/test/destroy' });
  assert.deepEqual([none.statusCode, err(none.body).code], [401, 'VIR_ERR_AUTH_FAILED']);
  const ro = await s.app.inject({ method: 'POST', url: '/api/v1/domains/test/destroy', headers: as(READ), payload: '{}' });
  assert.deepEqual([ro.statusCode, err(ro.body).code], [403, 'VIR_ERR_ACCESS_DENIED']);
  assert.equal(await s.state(), before);
});

test('define with hostile XML, files outside the image roots, unknown fields, wrong types: 4xx, clear message, nothing defined', async (t) => {
  const s = await setup(t);
  const before = await s.state();
  const define = (payload: unknown) => s.app.inject({ method: 'POST', url: '/api/v1/domains', headers: as(ADMIN), payload: JSON.stringify(payload) });
  const dom = (devices: string) => `<domain type='test'><name>vmt-h</name><memory>65536</memory><os><type>hvm</type></os><devices>${devices}</devices></domain>`;
  const cases: [unknown, number, string, RegExp][] = [
    [{ xml: '<!DOCTYPE d [<!ENTITY e "x">]><domain/>' }, 400, 'VIR_ERR_XML_ERROR', /DOCTYPE declarations are not allowed/],
    [{ xml: `<domain>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</domain>` }, 400, 'VIR_ERR_XML_ERROR', /nested deeper than 64 levels/],
    [{ xml: dom("<disk type='file' device='disk'><source file='/etc/shadow'/><target dev='vda'/></disk>") }, 403, 'VIR_ERR_ACCESS_DENIED', /disk vda source '\/etc\/shadow' is outside the image roots/],
    [{ xml: dom(''), force: true }, 400, 'VIRTMON_ERR_REQUEST', /unknown field 'force'/],
    [{ xml: 42 }, 400, 'VIRTMON_ERR_REQUEST', /body\.xml must be a string/],
    [{}, 400, 'VIRTMON_ERR_REQUEST', /body\.xml is required/],
    [[dom('')], 400, 'VIRTMON_ERR_REQUEST', /body must be an object/],
  ];
  for (const [payload, status, code, message] of cases) {
    const res = await define(payload);
    assert.equal(res.statusCode, status, res.body);
    assert.equal(err(res.body).code, code);
    assert.match(err(res.body).message, message);
  }
  const big = await s.app.inject({ method: 'POST', url: '/api/v1/domains', headers: as(ADMIN), payload: JSON.stringify({ xml: `<domain>${'x'.repeat(10 * 1024 * 1024)}</domain>` }) });
  assert.equal(big.statusCode, 413);
  const lifecycle = await s.app.inject({ method: 'POST', url: '/api/v1/domains/test/destroy', headers: as(ADMIN), payload: JSON.stringify({ reason: 5 }) });
  assert.deepEqual([lifecycle.statusCode, err(lifecycle.body).message], [400, 'invalid request: body.reason must be a string']);
  assert.equal(await s.state(), before, 'nothing changed');
  // The same admin defines a sane domain: the refusals were about the input, not the token.
  const ok = await define({ xml: dom('') });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.notEqual(await s.state(), before);
});
