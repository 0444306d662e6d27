/**
 * The whole Prometheus path with real components: the test driver's runaway domain is sampled by
 * createCollection; its series are served from the snapshot through the metric catalog; real Prometheus
 * scrapes them and evaluates an alert rule that carries `virtmon_action: suspend` and
 * `virtmon_resolve: reverse`; real Alertmanager routes the alert to virtmon's receiver; the domain is
 * suspended; when its rate drops the alert resolves and the resolved notification resumes it. When it
 * runs away again the cooldown refuses the second suspend. A calm domain is never touched.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { alertmanagerReceiver } from '../../../src/alerts/alertmanager/plugin.ts';
import { expandDomain } from '../../../src/catalog/expand.ts';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import { connectionSource, createCollection, type Collection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { DomainState } from '../../../src/domain/states.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { open } from '../../../src/drivers/index.ts';
import { guarded, testDomainXml, type GuardedFixture } from '../../helpers/alerts.ts';
import { startAlertmanager, type RunningAlertmanager } from '../../helpers/alertmanager.ts';
import { startPrometheusWithRules, type RunningPrometheus } from '../../helpers/alerts-prometheus.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const TOKEN = `vmt-${process.pid}-e2e`;
let tmp: ShortTempDir;
let conn: Connection;
let collection: Collection;
let app: FastifyInstance;
let g: GuardedFixture;
let am: RunningAlertmanager | undefined;
let prom: RunningPrometheus | undefined;

before(async () => {
  tmp = await shortTempDir('pe');
  conn = await open('test:///default', { clock: Date.now });
  await conn.create(await conn.defineXML(testDomainXml('vmt-runaway', 64)));
  await conn.create(await conn.defineXML(testDomainXml('vmt-calm', 1)));
  const config = parseConfigText('uri: test:///default\ncollection: { interval: 500ms }\n', 'virtmon.yaml');
  collection = createCollection({ config, source: connectionSource(conn), logger: silentLogger() });
  await collection.start();
  g = guarded(conn, { cooldownMs: 3_600_000, capPerMinute: 10 });
  app = Fastify();
  await app.register(alertmanagerReceiver, { actions: g.actions, token: TOKEN, logger: silentLogger() });
  // The snapshot's CPU series through the catalog, in the exposition format (the exporter's job in the agent).
  const options = resolveCatalogOptions({});
  app.get('/metrics', (_req, reply) => {
    let text = '# TYPE libvirt_domain_info_cpu_time_seconds_total counter\n';
    for (const e of collection.snapshot.entries()) {
      for (const s of expandDomain(e.sample, e.def, options)) {
        if (s.metric.name === 'libvirt_domain_info_cpu_time_seconds_total') text += `${s.metric.name}{domain="${s.labelValues[0] ?? ''}"} ${s.value}\n`;
      }
    }
    void reply.type('text/plain; version=0.0.4').send(text);
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  await writeFile(tmp.path('token'), TOKEN, { mode: 0o600 });
  am = await startAlertmanager(tmp, `
route: { receiver: virtmon, group_by: [alertname, domain], group_wait: 1s, group_interval: 1s, repeat_interval: 1h }
receivers:
  - name: virtmon
    webhook_configs:
      - url: ${base}/v1/alertmanager
        send_resolved: true
        http_config: { authorization: { type: Bearer, credentials_file: ${tmp.path('token')} } }
`);
  prom = await startPrometheusWithRules(tmp, `
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [${tmp.path('rules.yml')}]
alerting: { alertmanagers: [{ static_configs: [{ targets: ['${am.url.replace('http://', '')}'] }] }] }
scrape_configs:
  - job_name: virtmon
    static_configs: [{ targets: ['${base.replace('http://', '')}'] }]
`, `
groups:
  - name: virtmon
    rules:
      - alert: VirtmonCpuRunaway
        expr: rate(libvirt_domain_info_cpu_time_seconds_total[4s]) > 1.2
        for: 2s
        labels: { severity: critical, virtmon_action: suspend, virtmon_resolve: reverse }
        annotations: { summary: '{{ $labels.domain }} burns {{ $value }} CPUs' }
`);
});

after(async () => {
  await prom?.stop();
  await am?.stop();
  await app?.close();
  await collection?.stop();
  await conn?.close();
  await tmp?.remove();
});

test('Prometheus rule → Alertmanager → receiver: suspended, resumed on resolve, cooldown on the next firing', async () => {
  const state = async (name: string) => (await conn.getState(await conn.lookupByName(name))).state;
  const logs = (): string => `\n--- prometheus\n${prom?.log() ?? ''}\n--- alertmanager\n${am?.log() ?? ''}`;
  await pollUntil('vmt-runaway suspended through Prometheus and Alertmanager', 90_000,
    async () => ((await state('vmt-runaway')) === DomainState.PAUSED ? true : undefined), 200)
    .catch((err: unknown) => { throw new Error(`${String(err)}${logs()}`); });
  await pollUntil('vmt-runaway resumed by the resolved notification', 90_000,
    async () => ((await state('vmt-runaway')) === DomainState.RUNNING ? true : undefined), 200)
    .catch((err: unknown) => { throw new Error(`${String(err)}${logs()}`); });
  await pollUntil('the next firing refused by the cooldown', 90_000,
    () => (g.audit.entries.some((e) => e.action === 'suspend' && e.outcome === 'rate_limited') ? true : undefined), 200);
  const runaway = g.audit.entries.filter((e) => e.domain === 'vmt-runaway').map((e) => `${e.action}:${e.outcome}`);
  assert.deepEqual(runaway.slice(0, 3), ['suspend:done', 'resume:done', 'suspend:rate_limited']);
  assert.equal(g.audit.entries.filter((e) => e.domain === 'vmt-calm').length, 0);
  assert.equal(await state('vmt-calm'), DomainState.RUNNING);
  assert.ok(g.audit.entries.every((e) => e.source === 'alertmanager'));
  assert.match(g.audit.entries[0]?.reason ?? '', /^VirtmonCpuRunaway firing: vmt-runaway burns /);
});
