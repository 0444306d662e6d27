/**
 * A real QEMU domain (the test guest under TCG, started by the qemu driver) is suspended by the agent's
 * own rule: createCollection samples it from cgroups and QMP, the rule sees its CPU rate above a low
 * threshold for the `for` duration, and the guarded Actions service suspends it exactly once, audited.
 * QEMU itself then reports the VM paused; later samples (rate ~0) bring no second action.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import type { AuditEntry } from '../../../src/actions/audit-log.ts';
import { createAlerting, type Alerting } from '../../../src/alerts/alerting.ts';
import { connectionSource, createCollection, type Collection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import type { DomainRef } from '../../../src/domain/domain-ref.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { DomainState, PausedReason } from '../../../src/domain/states.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import type { QmpStatusInfo } from '../../../src/drivers/qemu/qmp/types.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { guestXml, qemuDriverEnv, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';
import { locateTestGuest } from '../../helpers/test-guest.ts';

let env: QemuDriverEnv;
let conn: Connection;
let dom: DomainRef;
let collection: Collection | undefined;
let alerting: Alerting | undefined;
const name = `vmtalert${process.pid}`;

before(async () => {
  env = await qemuDriverEnv('r');
  conn = await env.open();
  const guest = locateTestGuest();
  dom = await conn.defineXML(guestXml({
    name, guest: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append() }, serialLog: env.tmp.path('serial.log'),
  }));
});

after(async () => {
  await collection?.stop();
  await alerting?.stop();
  await conn?.destroy(dom).catch(() => undefined);
  await conn?.close();
  await env?.sweep();
});

test('a rule with a low CPU threshold suspends the real QEMU guest once', async () => {
  const rules = env.tmp.path('rules.yml');
  // The guest starts after sampling does, so its boot (a TCG guest burns most of a host CPU for seconds)
  // is seen; an idle guest still spends more than 1% of a CPU. `for` makes the rule wait for 2 s of it.
  writeFileSync(rules, `
rules:
  - name: qemu-cpu
    metric: libvirt_domain_info_cpu_time_seconds_total
    domains: { name: '^${name}$' }
    failure: { max: 0.01 }
    for: 2s
    actions: { failure: [suspend, log] }
`);
  const config = parseConfigText(`
uri: qemu:///system
collection: { interval: 500ms, domainTimeout: 2s }
alerts: { rules: ${rules}, cooldown: 10m, auditLog: ${env.tmp.path('audit.log')} }
`, 'virtmon.yaml');
  collection = createCollection({ config, source: connectionSource(conn), logger: silentLogger() });
  alerting = await createAlerting({
    settings: config.alerts, ops: conn, snapshot: collection.snapshot, intervalMs: config.collection.intervalMs,
    registry: new Registry(), logger: silentLogger(),
  });
  await alerting.start();
  const started = Date.now();
  await collection.start();
  await conn.create(dom);
  await pollUntil('the guest suspended by the rule', 90_000, async () => ((await conn.getState(dom)).state === DomainState.PAUSED ? true : undefined), 100);
  assert.ok(Date.now() - started >= 2000, 'not before the for duration');
  assert.deepEqual(await conn.getState(dom), { state: DomainState.PAUSED, reason: PausedReason.USER });
  const target = (await conn.statsTargets()).find((t) => t.ref.uuid === dom.uuid);
  const status = await target?.qmp?.execute<QmpStatusInfo>('query-status');
  assert.equal(status?.status, 'paused', 'QEMU itself is paused');
  // Several more cycles on the paused guest: its rate drops, nothing else is done.
  const version = collection.snapshot.version;
  await pollUntil('more cycles', 30_000, () => (collection !== undefined && collection.snapshot.version >= version + 6 ? true : undefined), 100);
  await collection.stop();
  await alerting.stop();
  const audit = readFileSync(config.alerts.auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
  const domainActions = audit.filter((e) => e.action !== 'log');
  assert.deepEqual(domainActions.map((e) => [e.domain, e.action, e.outcome, e.source, e.actor]), [[name, 'suspend', 'done', 'rule', 'qemu-cpu']]);
  assert.equal(domainActions[0]?.uuid, dom.uuid);
  assert.deepEqual(alerting.states().map((s) => [s.rule, s.domain]), [['qemu-cpu', name]]);
});
