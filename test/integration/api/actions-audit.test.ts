// Every domain-changing control API route goes through the guarded Actions service: one audit entry
// per request with source api, the token's name as actor, the right action, outcome and detail, the
// counter moved; failures keep libvirt's wording (the same reply as the direct path) and are audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createDirectActions } from '../../../src/actions/direct.ts';
import type { Actions } from '../../../src/actions/types.ts';
import { buildApiServer } from '../../../src/api/server.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { guarded } from '../../helpers/alerts.ts';
import { openTest } from '../../helpers/test-driver.ts';

const OP = 'actions-audit-operator';
const ADMIN = 'actions-audit-admin';

async function api(conn: Connection, actions: Actions, roots: string): Promise<FastifyInstance> {
  return buildApiServer({
    conn, actions, latest: () => [], readOnly: false,
    security: {
      remote: {
        allowRemote: false,
        tokens: [
          { name: 'bob', role: 'operator', hash: await hashTokenSecret(OP) },
          { name: 'alice', role: 'admin', hash: await hashTokenSecret(ADMIN) },
        ],
        limits: { bodyBytes: 1024 * 1024, xmlDepth: 64, ratePerSecond: 1e9, burst: 1e9, opsPerDomain: 100 },
        imageRoots: [roots], emulators: ['/usr/bin/qemu-system-x86_64'],
      },
      audit: { record: () => undefined },
      logger: silentLogger(),
    },
  });
}

const xmlOf = (name: string) => `<domain type='test'><name>${name}</name><memory>65536</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>`;

test('each domain-changing route is audited once by Actions with action, actor, outcome and detail', async (t) => {
  const roots = mkdtempSync(join(tmpdir(), 'vmt-aaudit-'));
  const { conn } = await openTest('default');
  const g = guarded(conn);
  const app = await api(conn, g.actions, roots);
  t.after(async () => { await app.close(); await conn.close(); rmSync(roots, { recursive: true, force: true }); });
  const call = async (method: 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: object) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload }) });
    assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return res;
  };
  const image = join(roots, 'vmt-aa.save');
  const disk = `<disk type='file' device='disk'><source file='${join(roots, 'extra.img')}'/><target dev='vdb' bus='virtio'/></disk>`;
  const defined = await call('POST', '/v1/domains', ADMIN, { xml: xmlOf('vmt-aa') });
  assert.equal(defined.statusCode, 201);
  assert.equal(defined.json<{ name: string }>().name, 'vmt-aa');
  await call('PUT', '/v1/domains/vmt-aa/autostart', ADMIN, { autostart: true });
  await call('PUT', '/v1/domains/vmt-aa/vcpus', ADMIN, { count: 1, config: true });
  await call('PUT', '/v1/domains/vmt-aa/memory', OP, { kib: 32768, config: true });
  await call('POST', '/v1/domains/vmt-aa/start', OP, { paused: true, reason: 'maintenance' });
  await call('POST', '/v1/domains/vmt-aa/destroy', OP, { graceful: true });
  await call('POST', '/v1/domains/vmt-aa/start', OP);
  await call('POST', '/v1/domains/vmt-aa/devices', ADMIN, { xml: disk, live: true });
  await call('POST', '/v1/domains/vmt-aa/devices/detach', ADMIN, { xml: disk, live: true });
  await call('POST', '/v1/domains/vmt-aa/managed-save', OP, {});
  await call('DELETE', '/v1/domains/vmt-aa/managed-save', OP);
  await call('POST', '/v1/domains/vmt-aa/start', OP);
  await call('POST', '/v1/domains/vmt-aa/save', OP, { path: image, paused: true });
  const restored = await call('POST', '/v1/restore', OP, { path: image, running: true });
  assert.equal(restored.json<{ domain: { name: string } }>().domain.name, 'vmt-aa');
  await call('POST', '/v1/domains/vmt-aa/destroy', OP);
  await call('DELETE', '/v1/domains/vmt-aa?managedSave=true', ADMIN);
  const created = await call('POST', '/v1/domains/create', ADMIN, { xml: xmlOf('vmt-ab'), paused: true });
  assert.equal(created.statusCode, 201);

  const uuid = defined.json<{ uuid: string }>().uuid;
  assert.deepEqual(g.audit.entries.map((e) => [e.action, e.domain, e.outcome, e.source, e.actor, e.detail ?? null]), [
    ['define', 'vmt-aa', 'done', 'api', 'alice', null],
    ['set-autostart', 'vmt-aa', 'done', 'api', 'alice', { autostart: true }],
    ['set-vcpus', 'vmt-aa', 'done', 'api', 'alice', { vcpus: 1, config: true }],
    ['set-memory', 'vmt-aa', 'done', 'api', 'bob', { memoryKiB: 32768, config: true }],
    ['start', 'vmt-aa', 'done', 'api', 'bob', { paused: true }],
    ['destroy', 'vmt-aa', 'done', 'api', 'bob', { graceful: true }],
    ['start', 'vmt-aa', 'done', 'api', 'bob', null],
    ['attach-device', 'vmt-aa', 'done', 'api', 'alice', { live: true }],
    ['detach-device', 'vmt-aa', 'done', 'api', 'alice', { live: true }],
    ['managed-save', 'vmt-aa', 'done', 'api', 'bob', null],
    ['managed-save-remove', 'vmt-aa', 'done', 'api', 'bob', null],
    ['start', 'vmt-aa', 'done', 'api', 'bob', null],
    ['save', 'vmt-aa', 'done', 'api', 'bob', { path: image, paused: true }],
    ['restore', 'vmt-aa', 'done', 'api', 'bob', { path: image, running: true }],
    ['destroy', 'vmt-aa', 'done', 'api', 'bob', null],
    ['undefine', 'vmt-aa', 'done', 'api', 'alice', { managedSave: true }],
    ['create', 'vmt-ab', 'done', 'api', 'alice', { paused: true }],
  ]);
  assert.ok(g.audit.entries.slice(0, 16).every((e) => e.uuid === uuid), 'every entry of vmt-aa names its UUID');
  assert.equal(g.audit.entries[4]?.reason, 'maintenance');
  const counts = await g.counts();
  assert.equal(counts.get('vmt-aa/start/success'), 3);
  assert.equal(counts.get('vmt-aa/define/success'), 1);
  assert.equal(counts.get('vmt-ab/create/success'), 1);
});

test('failures keep the direct path\'s reply (libvirt wording) and are audited failed', async (t) => {
  const roots = mkdtempSync(join(tmpdir(), 'vmt-aaudit-'));
  const a = await openTest('default');
  const b = await openTest('default');
  const g = guarded(a.conn);
  const viaActions = await api(a.conn, g.actions, roots);
  const direct = await api(b.conn, createDirectActions(b.conn), roots);
  t.after(async () => {
    await viaActions.close(); await direct.close(); await a.conn.close(); await b.conn.close();
    rmSync(roots, { recursive: true, force: true });
  });
  const cases: readonly [string, 'POST' | 'PUT' | 'DELETE', string, object | undefined][] = [
    ['define', 'POST', '/v1/domains', { xml: xmlOf('test') }],
    ['create', 'POST', '/v1/domains/create', { xml: xmlOf('test') }],
    ['start', 'POST', '/v1/domains/test/start', { paused: true }],
    ['set-vcpus', 'PUT', '/v1/domains/test/vcpus', { count: 64, live: true }],
    ['set-memory', 'PUT', '/v1/domains/test/memory', { kib: 1, maximum: true, live: true }],
    ['detach-device', 'POST', '/v1/domains/test/devices/detach', { xml: `<disk type='file' device='disk'><source file='${join(roots, 'x.img')}'/><target dev='vdz' bus='virtio'/></disk>` }],
    ['attach-device', 'POST', '/v1/domains/test/devices', { xml: `<disk type='file' device='disk'><source file='${join(roots, 'y.img')}'/><target dev='vda' bus='virtio'/></disk>` }],
    ['restore', 'POST', '/v1/restore', { path: join(roots, 'missing.save') }],
  ];
  for (const [action, method, url, payload] of cases) {
    const req = { method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(payload === undefined ? {} : { payload }) };
    const got = await viaActions.inject(req);
    const want = await direct.inject(req);
    assert.ok(got.statusCode >= 400, `${action}: ${got.statusCode} ${got.body}`);
    assert.equal(got.statusCode, want.statusCode, action);
    assert.deepEqual(got.json(), want.json(), action);
    const last = g.audit.entries.at(-1);
    assert.deepEqual([last?.action, last?.outcome, last?.actor, last?.error], [action, 'failed', 'alice', got.json<{ message: string }>().message], action);
  }
  assert.equal(g.audit.entries.length, cases.length, 'each failure audited exactly once');
});
