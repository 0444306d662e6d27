/**
 * The guarded Actions service on the test driver: dry-run (global and per request), cooldown per
 * domain+action, the global cap under a burst of 50 domains, protected domains, idempotence, audit
 * and counter for every source.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainState } from '../../../src/domain/states.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { recordingLogger } from '../../../src/domain/logger.ts';
import { guarded, testDomainXml } from '../../helpers/alerts.ts';
import { openTest, SteppedClock } from '../../helpers/test-driver.ts';

async function withDomains(n: number, prefix = 'vm') {
  const tc = await openTest('default');
  for (let i = 0; i < n; i++) await tc.conn.create(await tc.conn.defineXML(testDomainXml(`${prefix}${i}`)));
  return tc;
}

const rejectsWith = async (p: Promise<unknown>, code: string, re?: RegExp): Promise<void> => {
  await assert.rejects(p, (e: unknown) => e instanceof VirtmonError && e.code === code && (re === undefined || re.test(e.message)));
};

describe('guarded actions', () => {
  test('a rule suspends a running domain; a second suspend of the paused domain is a no-op', async () => {
    const { conn } = await withDomains(1);
    const g = guarded(conn);
    const r1 = await g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'rule', actor: 'cpu-high', reason: 'cpu rate 3.2' });
    assert.equal(r1.outcome, 'done');
    assert.equal((await conn.getState(await conn.lookupByName('vm0'))).state, DomainState.PAUSED);
    const r2 = await g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'alertmanager', actor: 'am' });
    assert.equal(r2.outcome, 'noop');
    // An operator gets the driver's own answer (virsh's behaviour), not a no-op.
    await rejectsWith(g.actions.perform({ action: 'resume', domain: 'vm0', source: 'api' }).then(() => g.actions.perform({ action: 'resume', domain: 'vm0', source: 'api', actor: 'ops' })), 'VIR_ERR_OPERATION_INVALID');
    assert.deepEqual(g.audit.entries.map((e) => [e.source, e.action, e.outcome, e.actor]), [
      ['rule', 'suspend', 'done', 'cpu-high'], ['alertmanager', 'suspend', 'noop', 'am'],
      ['api', 'resume', 'done', undefined], ['api', 'resume', 'failed', 'ops'],
    ]);
    assert.equal((await g.counts()).get('vm0/suspend/success'), 2);
  });

  test('global dry-run changes nothing and audits what it would do; per-request dry-run too', async () => {
    const { conn } = await withDomains(1);
    const logs = recordingLogger();
    const g = guarded(conn, { dryRun: true }, { logger: logs });
    assert.equal((await g.actions.perform({ action: 'destroy', domain: 'vm0', source: 'alertmanager' })).outcome, 'dry-run');
    assert.equal((await conn.getState(await conn.lookupByName('vm0'))).state, DomainState.RUNNING);
    const live = guarded(conn);
    assert.equal((await live.actions.perform({ action: 'suspend', domain: 'vm0', source: 'cli', dryRun: true })).outcome, 'dry-run');
    assert.equal((await conn.getState(await conn.lookupByName('vm0'))).state, DomainState.RUNNING);
    assert.equal(g.audit.entries[0]?.outcome, 'dry-run');
    assert.ok(logs.lines.some((l) => l.level === 'info' && l.message === 'action destroy on vm0: dry-run' && l.fields.source === 'alertmanager'));
    assert.equal((await g.counts()).get('vm0/destroy/dry_run'), 1);
    assert.equal((await live.counts()).get('vm0/suspend/dry_run'), 1);
  });

  test('cooldown per domain and action holds for automated sources only', async () => {
    const { conn } = await withDomains(2);
    const clock = new SteppedClock();
    const g = guarded(conn, { cooldownMs: 60_000 }, { clock: clock.read });
    await g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'rule' });
    await g.actions.perform({ action: 'resume', domain: 'vm0', source: 'rule' });
    clock.advance(10_000);
    await rejectsWith(g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'rule' }), 'VIRTMON_ERR_ACTION_REFUSED', /cooldown/);
    // Another domain, or an operator, is not held back.
    assert.equal((await g.actions.perform({ action: 'suspend', domain: 'vm1', source: 'rule' })).outcome, 'done');
    assert.equal((await g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'api' })).outcome, 'done');
    await g.actions.perform({ action: 'resume', domain: 'vm0', source: 'api' });
    clock.advance(50_000);
    assert.equal((await g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'rule' })).outcome, 'done');
    assert.equal((await g.counts()).get('vm0/suspend/rate_limited'), 1);
  });

  test('a burst of 50 firing domains: the cap lets exactly N through per minute, cooldown stops repeats', async () => {
    const { conn } = await withDomains(50, 'b');
    const clock = new SteppedClock();
    const g = guarded(conn, { cooldownMs: 300_000, capPerMinute: 5 }, { clock: clock.read });
    const burst = () => Promise.allSettled(Array.from({ length: 50 }, (_, i) =>
      g.actions.perform({ action: 'suspend', domain: `b${i}`, source: 'alertmanager' })));
    const first = await burst();
    assert.equal(first.filter((r) => r.status === 'fulfilled').length, 5);
    const paused = async () => {
      let n = 0;
      for (let i = 0; i < 50; i++) if ((await conn.getState(await conn.lookupByName(`b${i}`))).state === DomainState.PAUSED) n++;
      return n;
    };
    assert.equal(await paused(), 5);
    // Duplicate requests for the same domain in one burst: exactly one acts.
    const dup = await Promise.allSettled(Array.from({ length: 10 }, () => g.actions.perform({ action: 'resume', domain: 'b0', source: 'rule' })));
    assert.equal(dup.filter((r) => r.status === 'fulfilled').length, 0, 'the cap is still full inside the minute');
    clock.advance(60_000);
    const second = await burst();
    // The 5 paused ones are no-ops (not counted against the cap); 5 more are suspended.
    assert.equal(second.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'noop').length, 5);
    assert.equal(second.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'done').length, 5);
    assert.equal(await paused(), 10);
    const c = await g.counts();
    let limited = 0;
    for (const [k, v] of c) if (k.endsWith('/rate_limited')) limited += v;
    assert.equal(limited, 45 + 10 + 40);
    assert.equal(g.audit.entries.length, 50 + 10 + 50);
  });

  test('same-domain duplicates in one burst act once (cooldown booked before the driver call)', async () => {
    const { conn } = await withDomains(1);
    const g = guarded(conn, { cooldownMs: 60_000 });
    const r = await Promise.allSettled(Array.from({ length: 10 }, () => g.actions.perform({ action: 'reboot', domain: 'vm0', source: 'rule' })));
    assert.equal(r.filter((x) => x.status === 'fulfilled').length, 1);
  });

  test('a protected domain is never touched by rule, alertmanager or snmp; operators may act', async () => {
    const { conn } = await withDomains(2);
    const uuid = (await conn.lookupByName('vm1')).uuid;
    const g = guarded(conn, { protected: ['vm0', uuid, '/^infra-/'] });
    for (const source of ['rule', 'alertmanager', 'snmp'] as const) {
      await rejectsWith(g.actions.perform({ action: 'destroy', domain: 'vm0', source }), 'VIRTMON_ERR_ACTION_REFUSED', /protected/);
      await rejectsWith(g.actions.perform({ action: 'suspend', domain: uuid, source }), 'VIRTMON_ERR_ACTION_REFUSED', /protected/);
    }
    assert.equal((await conn.getState(await conn.lookupByName('vm0'))).state, DomainState.RUNNING);
    assert.equal((await conn.getState(await conn.lookupByName('vm1'))).state, DomainState.RUNNING);
    assert.equal((await g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'api', actor: 'admin' })).outcome, 'done');
    assert.equal((await g.counts()).get('vm0/destroy/refused'), 3);
    assert.equal(g.audit.entries.filter((e) => e.outcome === 'refused').length, 6);
  });

  test('driver errors are audited as failed and passed through in libvirt wording', async () => {
    const { conn } = await withDomains(1);
    const g = guarded(conn);
    await rejectsWith(g.actions.perform({ action: 'suspend', domain: 'nope', source: 'rule' }), 'VIR_ERR_NO_DOMAIN');
    await conn.destroy(await conn.lookupByName('vm0'));
    // An operator's resume of a shut-off domain gets libvirt's error.
    await rejectsWith(g.actions.perform({ action: 'resume', domain: 'vm0', source: 'api' }), 'VIR_ERR_OPERATION_INVALID');
    // An automated destroy of an inactive domain is a no-op, not an error.
    assert.equal((await g.actions.perform({ action: 'destroy', domain: 'vm0', source: 'rule' })).outcome, 'noop');
    assert.deepEqual(g.audit.entries.map((e) => e.outcome), ['failed', 'failed', 'noop']);
    assert.equal(g.audit.entries[0]?.domain, 'nope');
    assert.equal((await g.counts()).get('nope/suspend/failed'), 1);
  });
});

test('a driver without getState: no idempotence shortcut, the driver decides', async () => {
  const { conn } = await withDomains(1);
  const ops = {
    lookupDomain: (n: string) => conn.lookupDomain(n),
    create: (d: Parameters<typeof conn.create>[0]) => conn.create(d),
    shutdown: (d: Parameters<typeof conn.shutdown>[0]) => conn.shutdown(d),
    destroy: (d: Parameters<typeof conn.destroy>[0]) => conn.destroy(d),
    suspend: (d: Parameters<typeof conn.suspend>[0]) => conn.suspend(d),
    resume: (d: Parameters<typeof conn.resume>[0]) => conn.resume(d),
    reboot: (d: Parameters<typeof conn.reboot>[0]) => conn.reboot(d),
    reset: (d: Parameters<typeof conn.reset>[0]) => conn.reset(d),
    setMemory: (d: Parameters<typeof conn.setMemory>[0], kib: number) => conn.setMemory(d, kib),
    getState: () => Promise.reject(new VirtmonError('VIR_ERR_NO_SUPPORT', 'virDomainGetState')),
  };
  const g = guarded(ops);
  assert.equal((await g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'rule' })).outcome, 'done');
  assert.equal((await g.actions.perform({ action: 'suspend', domain: 'vm0', source: 'rule' })).outcome, 'done', 'the test driver accepts a repeated suspend');
  assert.equal((await conn.getState(await conn.lookupByName('vm0'))).state, DomainState.PAUSED);
});
