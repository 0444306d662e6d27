import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import type { ApiAuditRecord } from '../../../src/security/audit-plugin.ts';
import { fuzzRequests } from '../../helpers/api-fuzz.ts';
import { buildStandinApi } from '../../helpers/standin-api.ts';
import { openTest } from '../../helpers/test-driver.ts';

const COUNT = 10_000;
const SEED = Number(process.env.VIRTMON_FUZZ_SEED ?? 20261206);
const TOKENS = { readOnly: 'fuzz-read-secret-1', operator: 'fuzz-operator-secret-2', admin: 'fuzz-admin-secret-3', expired: 'fuzz-expired-secret-4' };

/** Everything about every domain that a change could touch. */
async function fingerprint(conn: Connection): Promise<string> {
  const out = [];
  for (const d of await conn.listAllDomains()) {
    out.push({ name: d.name, uuid: d.uuid, state: d.state, reason: d.reason, persistent: d.persistent, autostart: d.autostart,
      xml: await conn.getXMLDesc(d, { inactive: true }), live: await conn.getXMLDesc(d) });
  }
  return JSON.stringify(out);
}

test(`fuzz: ${COUNT} random hostile requests leave the API serving, answer 4xx, and change no domain`, async (t) => {
  const roots = mkdtempSync(join(tmpdir(), 'vmt-fuzz-'));
  const { conn } = await openTest('default');
  t.after(async () => { await conn.close(); rmSync(roots, { recursive: true, force: true }); });
  // A second, shut-off domain, so both running and inactive targets are fuzzed.
  await conn.defineXML("<domain type='test'><name>vmt-fuzz-off</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>");
  const audit: ApiAuditRecord[] = [];
  const app = await buildStandinApi({
    conn,
    tokens: [
      { name: 'read', role: 'read-only', hash: await hashTokenSecret(TOKENS.readOnly) },
      { name: 'op', role: 'operator', hash: await hashTokenSecret(TOKENS.operator) },
      { name: 'admin', role: 'admin', hash: await hashTokenSecret(TOKENS.admin) },
      { name: 'old', role: 'admin', hash: await hashTokenSecret(TOKENS.expired), expiresAtMs: 1 },
    ],
    limits: { bodyBytes: 1024 * 1024, xmlDepth: 64, ratePerSecond: 1e9, burst: 1e9, opsPerDomain: 1 },
    imageRoots: [roots],
    audit: (e) => { audit.push(e); },
  });
  t.after(() => app.close());
  const before = await fingerprint(conn);
  const real = (await conn.listAllDomains()).map((d) => d.name);
  const next = fuzzRequests(SEED, TOKENS, real);
  const statuses = new Map<number, number>();
  const bad: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const req = next();
    const res = await app.inject(req);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const allowed2xx = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
    if (res.statusCode >= 500 || (res.statusCode < 400 && !allowed2xx)) {
      if (bad.length < 5) bad.push(`#${i} ${req.method} ${req.url.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
  }
  assert.deepEqual(bad, [], `seed ${SEED}: server errors or accepted changes`);
  assert.equal(await fingerprint(conn), before, 'a domain changed');
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  const list = await app.inject({ url: '/api/v1/domains', headers: { authorization: `Bearer ${TOKENS.readOnly}` } });
  assert.equal(list.statusCode, 200);
  // The mix was hostile enough: auth, role, validation, XML and not-found refusals all happened.
  for (const status of [400, 401, 403, 404]) assert.ok((statuses.get(status) ?? 0) > 100, `status ${status}: ${JSON.stringify([...statuses])}`);
  assert.ok(audit.length > 3000 && audit.every((a) => a.status >= 400), 'every change request was audited as refused');
  t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
});
