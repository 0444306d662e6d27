/**
 * The agent-facing parts: the actions service shared by everyone, the alerts component (rules loaded at
 * start; a bad file fails before anything runs), the receiver's HTTP plugin (token file, off switch)
 * and the API route.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { MemoryAuditLog } from '../../../src/actions/audit-log.ts';
import { alertmanagerHttpPlugin, readReceiverToken } from '../../../src/alerts/alertmanager/http-plugin.ts';
import { createActionsService, createAlertsComponent } from '../../../src/alerts/alerting.ts';
import { alertsRoutes } from '../../../src/alerts/api-route.ts';
import { parseRulesText } from '../../../src/alerts/load-rules.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { openTest, tempDir } from '../../helpers/test-driver.ts';

test('the component loads its rules at start; a bad file rejects with VIRTMON_ERR_RULES and subscribes nothing', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const good = join(tmp.dir, 'good.yml');
  const bad = join(tmp.dir, 'bad.yml');
  writeFileSync(good, 'rules:\n  - name: a\n    metric: libvirt_domain_memory_stats_rss_bytes\n    failure: { max: 1 }\n');
  writeFileSync(bad, 'rules:\n  - name: a\n    metric: libvirt_domain_memory_stats_rss_bytes\n');
  const { conn } = await openTest('default');
  const registry = new Registry();
  const settings = (rules: string) => parseConfigText(`alerts: { rules: ${rules} }`, 'v.yaml').alerts;
  const service = createActionsService({ settings: settings(good), ops: conn, registry, logger: silentLogger(), audit: new MemoryAuditLog() });
  const store = new SnapshotStore();
  const ok = createAlertsComponent({ settings: settings(good), service, snapshot: store, intervalMs: 10_000, registry, logger: silentLogger() });
  assert.equal(ok.rules().rules.length, 0);
  await ok.start();
  assert.deepEqual(ok.rules().rules.map((r) => r.name), ['a']);
  await ok.stop();
  const broken = createAlertsComponent({ settings: settings(bad), service, snapshot: store, intervalMs: 10_000, registry, logger: silentLogger() });
  await assert.rejects(broken.start(), (e: unknown) => e instanceof VirtmonError && e.code === 'VIRTMON_ERR_RULES' && e.line === 2);
  assert.deepEqual(broken.states(), []);
  await service.close();
});

test('receiver plugin: off by default, token from its file, unusable file named by key', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const { conn } = await openTest('default');
  const service = createActionsService({
    settings: parseConfigText('', 'v.yaml').alerts, ops: conn, registry: new Registry(), logger: silentLogger(), audit: new MemoryAuditLog(),
  });
  assert.equal(alertmanagerHttpPlugin(parseConfigText('', 'v.yaml').alerts, service.actions, silentLogger()), undefined);
  const tokenFile = join(tmp.dir, 'token');
  writeFileSync(tokenFile, 'tok-123\n');
  const on = parseConfigText(`alerts: { alertmanager: { enabled: true, tokenFile: ${tokenFile} } }`, 'v.yaml').alerts;
  const p = alertmanagerHttpPlugin(on, service.actions, silentLogger());
  assert.ok(p !== undefined);
  assert.equal(p.options.token, 'tok-123');
  const app = Fastify();
  await app.register(p.plugin, p.options);
  const res = await app.inject({ method: 'POST', url: '/v1/alertmanager', headers: { authorization: 'Bearer tok-123' }, payload: { version: '4', status: 'firing', receiver: 'r', alerts: [] } });
  assert.equal(res.statusCode, 200);
  await app.close();
  writeFileSync(tokenFile, '\n');
  assert.throws(() => readReceiverToken(tokenFile, '/etc/virtmon/virtmon.yaml'), /\/etc\/virtmon\/virtmon\.yaml: alerts\.alertmanager\.tokenFile: .* is empty/);
  assert.throws(() => readReceiverToken(join(tmp.dir, 'none')), (e: unknown) => e instanceof VirtmonError && e.key === 'alerts.alertmanager.tokenFile');
});

test('GET /v1/alerts returns rules (no webhook secrets) and states', async () => {
  const set = parseRulesText(`
webhooks: { ops: { url: "https://u:pw@hooks.example/x", headers: { authorization: "Bearer zz" } } }
rules:
  - name: cpu
    metric: libvirt_domain_info_cpu_time_seconds_total
    failure: { max: 1.5 }
    actions: { failure: [suspend, { webhook: ops }] }
`, '/etc/virtmon/rules.yml');
  const app = Fastify();
  await app.register(alertsRoutes, {
    rules: () => set,
    states: () => [{ rule: 'cpu', domain: 'web-1', uuid: 'u1', severity: 'failure', since: 5, missing: false, pending: false, value: 2 }],
  });
  const res = await app.inject({ method: 'GET', url: '/v1/alerts' });
  assert.equal(res.statusCode, 200);
  const body = res.json<{ file: string; rules: { name: string; actions: { failure: string[] } }[]; states: { severity: string }[] }>();
  assert.equal(body.file, '/etc/virtmon/rules.yml');
  assert.deepEqual(body.rules[0]?.actions.failure, ['suspend', 'webhook:ops']);
  assert.equal(body.states[0]?.severity, 'failure');
  assert.ok(!res.body.includes('pw@') && !res.body.includes('Bearer'));
  await app.close();
});
