/**
 * End to end on the test driver: createCollection samples a runaway synthetic domain (64 vCPUs of
 * load) next to calm ones and a protected runaway; the agent's own rule suspends the runaway exactly
 * once after `for`, resumes it when its rate drops (resolve: reverse), and the cooldown refuses the
 * second suspend when it runs away again. The protected domain is never touched; the calm ones never
 * appear in the audit. The audit file is the real, fsynced JSON-lines file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { AuditEntry } from '../../../src/actions/audit-log.ts';
import { createAlerting } from '../../../src/alerts/alerting.ts';
import { connectionSource, createCollection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { recordingLogger } from '../../../src/domain/logger.ts';
import { DomainState } from '../../../src/domain/states.ts';
import { open } from '../../../src/drivers/index.ts';
import { testDomainXml } from '../../helpers/alerts.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { tempDir } from '../../helpers/test-driver.ts';

test('a runaway domain is suspended exactly once, resumed later, and the cooldown holds', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const rulesFile = join(tmp.dir, 'rules.yml');
  writeFileSync(rulesFile, `
rules:
  - name: cpu-runaway
    metric: libvirt_domain_info_cpu_time_seconds_total
    domains: { name: '^(calm|runaway|infra)' }
    failure: { max: 1.2 }
    for: 600ms
    resolve: reverse
    actions:
      failure: [suspend, log]
      okay: [log]
`);
  const config = parseConfigText(`
uri: test:///default
collection: { interval: 200ms, domainTimeout: 1s }
alerts:
  rules: ${rulesFile}
  cooldown: 1h
  maxActionsPerMinute: 10
  protected: [infra-1]
  auditLog: ${join(tmp.dir, 'audit', 'audit.log')}
`, 'virtmon.yaml');
  // The scheduler stamps samples with wall time, so the synthetic counters run on wall time too.
  const conn = await open('test:///default', { clock: Date.now });
  for (const [name, vcpus] of [['calm-1', 1], ['calm-2', 1], ['runaway-1', 64], ['infra-1', 64]] as const) {
    await conn.create(await conn.defineXML(testDomainXml(name, vcpus)));
  }
  const logs = recordingLogger();
  const collection = createCollection({ config, source: connectionSource(conn), logger: logs });
  const registry = new Registry();
  const alerting = await createAlerting({
    settings: config.alerts, ops: conn, snapshot: collection.snapshot, intervalMs: config.collection.intervalMs,
    registry, logger: logs,
  });
  t.after(async () => {
    await collection.stop();
    await alerting.stop();
    await conn.close();
  });
  await alerting.start();
  await collection.start();

  const state = async (name: string) => (await conn.getState(await conn.lookupByName(name))).state;
  const audit = (): AuditEntry[] => {
    try {
      return readFileSync(config.alerts.auditLog, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
    } catch {
      return [];
    }
  };
  await pollUntil('runaway-1 suspended', 20_000, async () => ((await state('runaway-1')) === DomainState.PAUSED ? true : undefined), 50);
  await pollUntil('runaway-1 resumed', 20_000, async () => ((await state('runaway-1')) === DomainState.RUNNING ? true : undefined), 50);
  await pollUntil('the second suspend refused by the cooldown', 20_000,
    () => (audit().some((e) => e.domain === 'runaway-1' && e.action === 'suspend' && e.outcome === 'rate_limited') ? true : undefined), 50);
  await collection.stop();
  await alerting.stop();

  const domainActions = audit().filter((e) => e.action !== 'log');
  const of = (name: string) => domainActions.filter((e) => e.domain === name).map((e) => `${e.action}:${e.outcome}`);
  const runaway = of('runaway-1');
  assert.deepEqual(runaway.slice(0, 3), ['suspend:done', 'resume:done', 'suspend:rate_limited']);
  assert.equal(runaway.filter((a) => a === 'suspend:done').length, 1, `exactly once: ${runaway.join(' ')}`);
  assert.ok(of('infra-1').length >= 1 && of('infra-1').every((a) => a === 'suspend:refused'), of('infra-1').join(' '));
  assert.equal(await state('infra-1'), DomainState.RUNNING);
  assert.deepEqual([...of('calm-1'), ...of('calm-2'), ...of('test')], []);
  const first = domainActions.find((e) => e.domain === 'runaway-1');
  assert.equal(first?.source, 'rule');
  assert.equal(first?.actor, 'cpu-runaway');
  assert.match(first?.reason ?? '', /above the failure threshold of 1\.200000e\+00/);
  const metrics = await registry.metrics();
  assert.match(metrics, /virtmon_remediation_actions_total\{domain="runaway-1",action="suspend",result="success"\} 1\n/);
  assert.match(metrics, /virtmon_remediation_actions_total\{domain="runaway-1",action="resume",result="success"\} 1\n/);
  assert.match(metrics, /virtmon_alert_notifications_total\{rule="cpu-runaway",severity="failure"\} [1-9]/);
  // The log action wrote the transition in collectd's words.
  assert.ok(logs.lines.some((l) => l.level === 'error' && /Domain runaway-1, metric libvirt_domain_info_cpu_time_seconds_total rate: Value is currently/.test(l.message)));
});

test('a burst of 50 runaway domains: the global cap lets exactly 5 suspends through; the others are audited rate_limited', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const rulesFile = join(tmp.dir, 'rules.yml');
  writeFileSync(rulesFile, `
rules:
  - name: cpu-runaway
    metric: libvirt_domain_info_cpu_time_seconds_total
    domains: { name: '^burst-' }
    failure: { max: 1.2 }
    actions: { failure: [suspend] }
`);
  const config = parseConfigText(`
uri: test:///default
collection: { interval: 250ms, domainTimeout: 2s }
alerts: { rules: ${rulesFile}, cooldown: 1h, maxActionsPerMinute: 5, auditLog: ${join(tmp.dir, 'audit.log')} }
`, 'virtmon.yaml');
  const conn = await open('test:///default', { clock: Date.now });
  for (let i = 0; i < 50; i++) await conn.create(await conn.defineXML(testDomainXml(`burst-${i}`, 64)));
  const collection = createCollection({ config, source: connectionSource(conn), logger: recordingLogger() });
  const alerting = await createAlerting({
    settings: config.alerts, ops: conn, snapshot: collection.snapshot, intervalMs: config.collection.intervalMs,
    registry: new Registry(), logger: recordingLogger(),
  });
  t.after(async () => {
    await collection.stop();
    await alerting.stop();
    await conn.close();
  });
  await alerting.start();
  await collection.start();
  const audit = (): AuditEntry[] => {
    try {
      return readFileSync(config.alerts.auditLog, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
    } catch {
      return [];
    }
  };
  await pollUntil('every burst domain decided', 30_000, () => (audit().length >= 50 ? true : undefined), 50);
  // A few more cycles: domains already in FAILURE are not retried (transitions are reported once).
  const version = collection.snapshot.version;
  await pollUntil('more cycles', 30_000, () => (collection.snapshot.version >= version + 4 ? true : undefined), 50);
  await collection.stop();
  await alerting.stop();
  const entries = audit();
  assert.equal(entries.length, 50);
  assert.equal(entries.filter((e) => e.outcome === 'done').length, 5);
  assert.equal(entries.filter((e) => e.outcome === 'rate_limited').length, 45);
  assert.equal(new Set(entries.map((e) => e.domain)).size, 50);
  let paused = 0;
  for (let i = 0; i < 50; i++) if ((await conn.getState(await conn.lookupByName(`burst-${i}`))).state === DomainState.PAUSED) paused++;
  assert.equal(paused, 5);
});
