/**
 * A real Alertmanager 0.25 on loopback routes an alert to virtmon's receiver: the test posts the alert
 * through Alertmanager's API (/api/v2/alerts), Alertmanager's webhook (bearer token from a credentials
 * file) reaches the receiver, and a test-driver domain is suspended through the guarded Actions
 * service; ending the alert sends the resolved notification, which resumes it (virtmon_resolve: reverse).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { alertmanagerReceiver } from '../../../src/alerts/alertmanager/plugin.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { DomainState } from '../../../src/domain/states.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { guarded, testDomainXml, type GuardedFixture } from '../../helpers/alerts.ts';
import { startAlertmanager, type RunningAlertmanager } from '../../helpers/alertmanager.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { openTest } from '../../helpers/test-driver.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const TOKEN = `vmt-${process.pid}-token`;
let tmp: ShortTempDir;
let app: FastifyInstance;
let am: RunningAlertmanager | undefined;
let conn: Connection;
let g: GuardedFixture;

before(async () => {
  tmp = await shortTempDir('am');
  ({ conn } = await openTest('default'));
  await conn.create(await conn.defineXML(testDomainXml('vmt-web-1')));
  await conn.create(await conn.defineXML(testDomainXml('vmt-db-1')));
  g = guarded(conn, { cooldownMs: 0, capPerMinute: 10, protected: ['vmt-db-1'] });
  app = Fastify();
  await app.register(alertmanagerReceiver, { actions: g.actions, token: TOKEN, logger: silentLogger() });
  const receiverUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  await writeFile(tmp.path('token'), `${TOKEN}\n`, { mode: 0o600 });
  am = await startAlertmanager(tmp, `
route:
  receiver: virtmon
  group_by: [alertname, domain]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: virtmon
    webhook_configs:
      - url: ${receiverUrl}/v1/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials_file: ${tmp.path('token')}
`);
});

after(async () => {
  await am?.stop();
  await app?.close();
  await conn?.close();
  await tmp?.remove();
});

const postAlerts = async (alerts: unknown[]): Promise<void> => {
  const res = await fetch(`${am?.url ?? ''}/api/v2/alerts`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts),
  });
  assert.equal(res.status, 200, await res.text());
};
const state = async (name: string) => (await conn.getState(await conn.lookupByName(name))).state;

test('firing → suspended through Alertmanager; resolved → resumed; a protected domain is refused', async () => {
  const labels = (domain: string) => ({ alertname: 'VirtmonCpuRunaway', domain, severity: 'critical', virtmon_action: 'suspend', virtmon_resolve: 'reverse' });
  const startsAt = new Date().toISOString();
  const endsAt = new Date(Date.now() + 3_600_000).toISOString();
  await postAlerts([
    { labels: labels('vmt-web-1'), annotations: { summary: 'vmt-web-1 burns CPU' }, startsAt, endsAt },
    { labels: labels('vmt-db-1'), annotations: { summary: 'vmt-db-1 burns CPU' }, startsAt, endsAt },
  ]);
  await pollUntil('vmt-web-1 suspended via Alertmanager', 30_000, async () => ((await state('vmt-web-1')) === DomainState.PAUSED ? true : undefined), 100)
    .catch((err: unknown) => { throw new Error(`${String(err)}\n${am?.log() ?? ''}`); });
  await pollUntil('vmt-db-1 refused', 30_000, () => (g.audit.entries.some((e) => e.domain === 'vmt-db-1') ? true : undefined), 100);
  assert.equal(await state('vmt-db-1'), DomainState.RUNNING);

  // Ending the alert (endsAt in the past) makes Alertmanager send the resolved notification.
  const now = new Date().toISOString();
  await postAlerts([{ labels: labels('vmt-web-1'), annotations: { summary: 'vmt-web-1 burns CPU' }, startsAt, endsAt: now }]);
  await pollUntil('vmt-web-1 resumed on resolve', 30_000, async () => ((await state('vmt-web-1')) === DomainState.RUNNING ? true : undefined), 100);

  const web = g.audit.entries.filter((e) => e.domain === 'vmt-web-1').map((e) => `${e.action}:${e.outcome}`);
  assert.equal(web[0], 'suspend:done');
  assert.ok(web.includes('resume:done'), web.join(' '));
  assert.equal(web.filter((a) => a === 'suspend:done').length, 1);
  const db = g.audit.entries.filter((e) => e.domain === 'vmt-db-1');
  assert.ok(db.every((e) => e.outcome === 'refused' && e.source === 'alertmanager'));
  assert.equal(g.audit.entries[0]?.actor, 'virtmon/VirtmonCpuRunaway');
});
