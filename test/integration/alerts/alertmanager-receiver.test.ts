/**
 * The Alertmanager receiver through fastify inject() on the test driver: bearer auth, body validation,
 * firing → action, resolved → reverse when asked, skips, and the same safety as rules (protected,
 * cap under a burst of 50 firing domains, idempotent repeats).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { alertmanagerReceiver } from '../../../src/alerts/alertmanager/plugin.ts';
import type { AlertResult } from '../../../src/alerts/alertmanager/plugin.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { DomainState } from '../../../src/domain/states.ts';
import type { ActionSafety } from '../../../src/actions/service.ts';
import { guarded, testDomainXml } from '../../helpers/alerts.ts';
import { openTest } from '../../helpers/test-driver.ts';

const TOKEN = 'am-secret-token-1234';

async function setup(n: number, safety: Partial<ActionSafety> = {}) {
  const { conn } = await openTest('default');
  for (let i = 0; i < n; i++) await conn.create(await conn.defineXML(testDomainXml(`vm${i}`)));
  const g = guarded(conn, safety);
  const app = Fastify();
  await app.register(alertmanagerReceiver, { actions: g.actions, token: TOKEN, logger: silentLogger() });
  const post = async (body: unknown, auth = `Bearer ${TOKEN}`) => {
    const res = await app.inject({ method: 'POST', url: '/v1/alertmanager', headers: { authorization: auth }, payload: body as Record<string, unknown> });
    return { status: res.statusCode, body: res.json<{ status?: string; results?: AlertResult[]; error?: { code: string; message: string } }>() };
  };
  const state = async (name: string) => (await conn.getState(await conn.lookupByName(name))).state;
  return { conn, g, app, post, state };
}

const alert = (domain: string | undefined, status: 'firing' | 'resolved', extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) => ({
  status,
  labels: { alertname: 'VirtmonCpuRunaway', ...(domain === undefined ? {} : { domain }), ...extra.labels },
  annotations: { summary: 'cpu runaway', ...extra.annotations },
  startsAt: '2026-12-06T01:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom/graph', fingerprint: `fp-${domain ?? 'x'}`,
});
const payload = (alerts: unknown[], status: 'firing' | 'resolved' = 'firing') =>
  ({ version: '4', status, receiver: 'virtmon', groupKey: '{}:{}', truncatedAlerts: 0, groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', alerts });

describe('Alertmanager receiver', () => {
  test('rejects a missing or wrong token and a malformed body; nothing is done', async () => {
    const s = await setup(1);
    const body = payload([alert('vm0', 'firing', { labels: { virtmon_action: 'suspend' } })]);
    const noAuth = await s.post(body, '');
    assert.equal(noAuth.status, 401);
    assert.equal(noAuth.body.error?.code, 'VIR_ERR_AUTH_FAILED');
    assert.equal((await s.post(body, `Bearer ${TOKEN}x`)).status, 401);
    assert.equal((await s.post(body, `Basic ${TOKEN}`)).status, 401);
    const bad = await s.post({ ...body, version: '3' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'VIRTMON_ERR_REQUEST');
    const badAlert = await s.post(payload([{ status: 'exploded', labels: {} }]));
    assert.equal(badAlert.status, 400);
    assert.match(badAlert.body.error?.message ?? '', /alerts\/0\/status/);
    assert.equal(await s.state('vm0'), DomainState.RUNNING);
    assert.equal(s.g.audit.entries.length, 0);
    await s.app.close();
  });

  test('firing suspends (label or annotation names the action); resolved resumes only when asked; repeats are no-ops', async () => {
    const s = await setup(2);
    const r1 = await s.post(payload([
      alert('vm0', 'firing', { labels: { virtmon_action: 'suspend', virtmon_resolve: 'reverse' } }),
      alert('vm1', 'firing', { annotations: { virtmon_action: 'suspend' } }),
    ]));
    assert.equal(r1.status, 200);
    assert.deepEqual(r1.body.results?.map((r) => [r.domain, r.action, r.outcome]), [['vm0', 'suspend', 'done'], ['vm1', 'suspend', 'done']]);
    assert.equal(await s.state('vm0'), DomainState.PAUSED);
    const again = await s.post(payload([alert('vm0', 'firing', { labels: { virtmon_action: 'suspend' } })]));
    assert.equal(again.body.results?.[0]?.outcome, 'noop');
    const resolved = await s.post(payload([
      alert('vm0', 'resolved', { labels: { virtmon_action: 'suspend', virtmon_resolve: 'reverse' } }),
      alert('vm1', 'resolved', { annotations: { virtmon_action: 'suspend' } }),
    ], 'resolved'));
    assert.deepEqual(resolved.body.results?.map((r) => [r.domain, r.action ?? '-', r.outcome]), [['vm0', 'resume', 'done'], ['vm1', '-', 'skipped']]);
    assert.equal(await s.state('vm0'), DomainState.RUNNING);
    assert.equal(await s.state('vm1'), DomainState.PAUSED);
    const e = s.g.audit.entries[0];
    assert.equal(e?.source, 'alertmanager');
    assert.equal(e?.actor, 'virtmon/VirtmonCpuRunaway');
    assert.equal(e?.reason, 'VirtmonCpuRunaway firing: cpu runaway');
    await s.app.close();
  });

  test('alerts without a domain, without an action or with an unknown one are skipped with a reason', async () => {
    const s = await setup(1);
    const r = await s.post(payload([
      alert(undefined, 'firing', { labels: { virtmon_action: 'suspend' } }),
      alert('vm0', 'firing'),
      alert('vm0', 'firing', { labels: { virtmon_action: 'explode' } }),
      alert('nosuch', 'firing', { labels: { virtmon_action: 'suspend' } }),
    ]));
    assert.deepEqual(r.body.results?.map((x) => [x.outcome, x.code ?? x.detail]), [
      ['skipped', 'no domain label'],
      ['skipped', 'no virtmon_action label or annotation'],
      ['skipped', "virtmon_action 'explode' is not one of suspend, resume, shutdown, reboot, reset, destroy"],
      ['error', 'VIR_ERR_NO_DOMAIN'],
    ]);
    await s.app.close();
  });

  test('same safety as rules: protected domains refused, the cap holds under a burst of 50 firing domains', async () => {
    const s = await setup(50, { capPerMinute: 7, cooldownMs: 600_000, protected: ['vm3'] });
    const r = await s.post(payload(Array.from({ length: 50 }, (_, i) => alert(`vm${i}`, 'firing', { labels: { virtmon_action: 'suspend' } }))));
    const results = r.body.results ?? [];
    assert.equal(results.filter((x) => x.outcome === 'done').length, 7);
    assert.equal(results.find((x) => x.domain === 'vm3')?.detail, "action refused: domain 'vm3' is protected from alertmanager actions");
    assert.equal(results.filter((x) => x.code === 'VIRTMON_ERR_ACTION_REFUSED').length, 43);
    assert.equal(await s.state('vm3'), DomainState.RUNNING);
    let paused = 0;
    for (let i = 0; i < 50; i++) if ((await s.state(`vm${i}`)) === DomainState.PAUSED) paused++;
    assert.equal(paused, 7);
    const c = await s.g.counts();
    assert.equal(c.get('vm3/suspend/refused'), 1);
    await s.app.close();
  });

  test('an empty token is a configuration error', async () => {
    const app = Fastify();
    const s = await setup(0);
    void app.register(alertmanagerReceiver, { actions: s.g.actions, token: ' ', logger: silentLogger() });
    await assert.rejects(async () => { await app.ready(); }, /non-empty token/);
  });
});
