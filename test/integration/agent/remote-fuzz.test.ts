// The agent's own control API (buildApiServer with the TCP security) under 10,000 seeded hostile
// requests on test:///default: it keeps serving, answers every change with 4xx, and no domain changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectActions } from '../../../src/actions/direct.ts';
import { buildApiServer } from '../../../src/api/server.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import type { ApiAuditRecord } from '../../../src/security/audit-plugin.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { fuzzRequests } from '../../helpers/api-fuzz.ts';
import { openTest } from '../../helpers/test-driver.ts';

const COUNT = 10_000;
const SEED = Number(process.env.VIRTMON_FUZZ_SEED ?? 611);
const TOKENS = { readOnly: 'agent-fuzz-read', operator: 'agent-fuzz-operator', admin: 'agent-fuzz-admin', expired: 'agent-fuzz-expired' };

async function fingerprint(conn: Connection): Promise<string> {
  const out = [];
  for (const d of await conn.listAllDomains()) {
    out.push({ ...d, xml: await conn.getXMLDesc(d, { inactive: true }), live: await conn.getXMLDesc(d) });
  }
  return JSON.stringify(out);
}

test(`the agent's API: ${COUNT} hostile requests, still serving, only 4xx for changes, every domain unchanged`, async (t) => {
  const roots = mkdtempSync(join(tmpdir(), 'vmt-afuzz-'));
  const { conn } = await openTest('default');
  await conn.defineXML("<domain type='test'><name>vmt-afuzz-off</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>");
  const audit: ApiAuditRecord[] = [];
  const app = await buildApiServer({
    conn, actions: createDirectActions(conn), latest: () => [], readOnly: false,
    security: {
      remote: {
        allowRemote: false,
        tokens: [
          { name: 'read', role: 'read-only', hash: await hashTokenSecret(TOKENS.readOnly) },
          { name: 'op', role: 'operator', hash: await hashTokenSecret(TOKENS.operator) },
          { name: 'admin', role: 'admin', hash: await hashTokenSecret(TOKENS.admin) },
          { name: 'old', role: 'admin', hash: await hashTokenSecret(TOKENS.expired), expiresAtMs: 1 },
        ],
        limits: { bodyBytes: 1024 * 1024, xmlDepth: 64, ratePerSecond: 1e9, burst: 1e9, opsPerDomain: 1 },
        imageRoots: [roots], emulators: ['/usr/bin/qemu-system-x86_64'],
      },
      audit: { record: (e) => { audit.push(e); } },
      logger: silentLogger(),
    },
  });
  t.after(async () => { await app.close(); await conn.close(); rmSync(roots, { recursive: true, force: true }); });
  const before = await fingerprint(conn);
  const next = fuzzRequests(SEED, TOKENS, (await conn.listAllDomains()).map((d) => d.name),
    { base: '/v1', actions: ['save', 'managed-save', 'memory', 'autostart', 'vcpus', 'devices', 'devices/detach'] });
  const statuses = new Map<number, number>();
  const bad: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const req = next();
    const res = await app.inject(req);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const read = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
    if (res.statusCode >= 500 || (res.statusCode < 400 && !read)) {
      if (bad.length < 5) bad.push(`#${i} ${req.method} ${req.url.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
  }
  assert.deepEqual(bad, [], `seed ${SEED}`);
  assert.equal(await fingerprint(conn), before, 'a domain changed');
  const list = await app.inject({ url: '/v1/domains', headers: { authorization: `Bearer ${TOKENS.readOnly}` } });
  assert.equal(list.statusCode, 200);
  for (const status of [400, 401, 403, 404]) assert.ok((statuses.get(status) ?? 0) > 100, `status ${status}: ${JSON.stringify([...statuses])}`);
  assert.ok(audit.length > 3000 && audit.every((a) => a.status >= 400));
  t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
});
