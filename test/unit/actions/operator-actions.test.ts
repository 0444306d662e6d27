/**
 * The operator/admin actions (save, restore, managed-save(-remove), set-vcpus, devices, autostart,
 * define, create, undefine) and the flag fields of start/destroy/set-memory, through the direct and
 * the guarded service on the test driver: driver effect, audit entry and detail, counter, policy
 * (refused to automated sources, no idempotence/limits, protection does not block api), dry-run,
 * missing driver operations and bad arguments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectActions, type DomainOps } from '../../../src/actions/direct.ts';
import type { GuardedOps } from '../../../src/actions/service.ts';
import { DomainState } from '../../../src/domain/states.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { guarded, testDomainXml } from '../../helpers/alerts.ts';
import { openTest } from '../../helpers/test-driver.ts';

const rejectsWith = async (p: Promise<unknown>, code: string, re?: RegExp): Promise<void> => {
  await assert.rejects(p, (e: unknown) => e instanceof VirtmonError && e.code === code && (re === undefined || re.test(e.message)));
};

test('the guarded service runs every operator action for api, audited with its detail and counted', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-opact-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  const { conn } = await openTest('default');
  // A huge cooldown and a cap of 1: neither applies to operators.
  const g = guarded(conn, { cooldownMs: 3_600_000, capPerMinute: 1, protected: ['vmt-op'] });
  const act = (extra: Parameters<typeof g.actions.perform>[0]) => g.actions.perform(extra);
  const base = { domain: 'vmt-op', source: 'api', actor: 'alice' } as const;
  const made = await act({ ...base, action: 'define', xml: testDomainXml('vmt-op', 2) });
  assert.deepEqual([made.outcome, made.domain.name, made.domain.id], ['done', 'vmt-op', -1]);
  await act({ ...base, action: 'set-autostart', autostart: true });
  await act({ ...base, action: 'set-autostart', autostart: true });
  assert.equal(await conn.getAutostart(made.domain), true);
  await act({ ...base, action: 'set-vcpus', vcpus: 1, affect: { config: true } });
  await act({ ...base, action: 'set-memory', memoryKiB: 32768, memoryFlags: { config: true } });
  assert.match(await conn.getXMLDesc(made.domain, { inactive: true }), /current='1'>2<\/vcpu>/);
  assert.match(await conn.getXMLDesc(made.domain, { inactive: true }), /<currentMemory unit='KiB'>32768</);
  const started = await act({ ...base, action: 'start', startFlags: { paused: true } });
  assert.ok(started.domain.id > 0, 'start returns the running domain');
  assert.equal((await conn.getState(made.domain)).state, DomainState.PAUSED);
  await act({ ...base, action: 'destroy', graceful: true });
  await act({ ...base, action: 'start' });
  await act({ ...base, action: 'managed-save', saveFlags: { paused: true } });
  assert.equal(await conn.hasManagedSaveImage(made.domain), true);
  await act({ ...base, action: 'managed-save-remove' });
  assert.equal(await conn.hasManagedSaveImage(made.domain), false);
  await act({ ...base, action: 'start' });
  const image = join(dir, 'op.save');
  await act({ ...base, action: 'save', path: image });
  const back = await act({ ...base, domain: image, action: 'restore', path: image, saveFlags: { running: true } });
  assert.deepEqual([back.domain.name, (await conn.getState(back.domain)).state], ['vmt-op', DomainState.RUNNING]);
  await act({ ...base, action: 'destroy' });
  await act({ ...base, action: 'undefine', managedSave: true });
  await rejectsWith(conn.lookupByName('vmt-op'), 'VIR_ERR_NO_DOMAIN');
  const tr = await act({ ...base, domain: 'vmt-tr', action: 'create', xml: testDomainXml('vmt-tr'), startFlags: { paused: true } });
  assert.equal((await conn.getState(tr.domain)).state, DomainState.PAUSED);

  assert.deepEqual(g.audit.entries.map((e) => [e.action, e.domain, e.outcome, e.detail ?? null]), [
    ['define', 'vmt-op', 'done', null],
    ['set-autostart', 'vmt-op', 'done', { autostart: true }],
    ['set-autostart', 'vmt-op', 'done', { autostart: true }],
    ['set-vcpus', 'vmt-op', 'done', { vcpus: 1, config: true }],
    ['set-memory', 'vmt-op', 'done', { memoryKiB: 32768, config: true }],
    ['start', 'vmt-op', 'done', { paused: true }],
    ['destroy', 'vmt-op', 'done', { graceful: true }],
    ['start', 'vmt-op', 'done', null],
    ['managed-save', 'vmt-op', 'done', { paused: true }],
    ['managed-save-remove', 'vmt-op', 'done', null],
    ['start', 'vmt-op', 'done', null],
    ['save', 'vmt-op', 'done', { path: image }],
    ['restore', 'vmt-op', 'done', { path: image, running: true }],
    ['destroy', 'vmt-op', 'done', null],
    ['undefine', 'vmt-op', 'done', { managedSave: true }],
    ['create', 'vmt-tr', 'done', { paused: true }],
  ]);
  assert.ok(g.audit.entries.every((e) => e.source === 'api' && e.actor === 'alice' && e.uuid !== undefined));
  const counts = await g.counts();
  assert.equal(counts.get('vmt-op/set-autostart/success'), 2);
  assert.equal(counts.get('vmt-op/restore/success'), 1);
});

test('automated sources are refused operator actions; audited refused, counted, nothing changed', async () => {
  const { conn } = await openTest('default');
  const g = guarded(conn);
  await rejectsWith(g.actions.perform({ action: 'undefine', domain: 'test', source: 'rule', actor: 'r1' }), 'VIRTMON_ERR_ACTION_REFUSED', /undefine is an operator action; rule may not ask for it/);
  await rejectsWith(g.actions.perform({ action: 'define', domain: 'x', source: 'alertmanager', xml: testDomainXml('x') }), 'VIRTMON_ERR_ACTION_REFUSED');
  assert.equal((await conn.listAllDomains()).map((d) => d.name).join(), 'test');
  assert.deepEqual(g.audit.entries.map((e) => [e.source, e.action, e.outcome]), [['rule', 'undefine', 'refused'], ['alertmanager', 'define', 'refused']]);
  assert.equal((await g.counts()).get('test/undefine/refused'), 1);
});

test('dry-run: operator actions change nothing; define/create/restore report the label', async () => {
  const { conn } = await openTest('default');
  const g = guarded(conn, { dryRun: true });
  const r = await g.actions.perform({ action: 'define', domain: 'vmt-dry', source: 'api', xml: testDomainXml('vmt-dry') });
  assert.deepEqual(r, { action: 'define', domain: { name: 'vmt-dry', uuid: '', id: -1 }, outcome: 'dry-run' });
  const s = await g.actions.perform({ action: 'set-autostart', domain: 'test', source: 'cli', autostart: true });
  assert.equal(s.outcome, 'dry-run');
  assert.equal(await conn.getAutostart(await conn.lookupByName('test')), false);
  await rejectsWith(conn.lookupByName('vmt-dry'), 'VIR_ERR_NO_DOMAIN');
  assert.deepEqual(g.audit.entries.map((e) => [e.action, e.outcome, e.uuid]), [['define', 'dry-run', undefined], ['set-autostart', 'dry-run', s.domain.uuid]]);
});

test('operator actions skip getState; a missing driver operation is libvirt\'s "not supported", audited failed', async () => {
  const { conn } = await openTest('default');
  let stateCalls = 0;
  // Only the lifecycle part of a connection: no operator operations at all.
  const small: GuardedOps = {
    lookupDomain: (n) => conn.lookupDomain(n), create: (d) => conn.create(d), shutdown: (d) => conn.shutdown(d),
    destroy: (d) => conn.destroy(d), suspend: (d) => conn.suspend(d), resume: (d) => conn.resume(d),
    reboot: (d) => conn.reboot(d), reset: (d) => conn.reset(d), setMemory: (d, k) => conn.setMemory(d, k),
    getState: (d) => { stateCalls++; return conn.getState(d); },
  };
  const g = guarded(small);
  await rejectsWith(g.actions.perform({ action: 'save', domain: 'test', source: 'api', path: '/tmp/x' }), 'VIR_ERR_NO_SUPPORT',
    /^this function is not supported by the connection driver: virDomainSaveFlags$/);
  await rejectsWith(g.actions.perform({ action: 'define', domain: 'd', source: 'api', xml: '<domain/>' }), 'VIR_ERR_NO_SUPPORT', /virDomainDefineXML$/);
  assert.equal(stateCalls, 0);
  assert.deepEqual(g.audit.entries.map((e) => [e.action, e.outcome, e.code]), [['save', 'failed', 'VIR_ERR_NO_SUPPORT'], ['define', 'failed', 'VIR_ERR_NO_SUPPORT']]);
  const direct = createDirectActions(small satisfies DomainOps);
  await rejectsWith(direct.perform({ action: 'set-autostart', domain: 'test', source: 'cli', autostart: true }), 'VIR_ERR_NO_SUPPORT', /virDomainSetAutostart$/);
});

test('bad arguments are invalid-argument errors naming the field, and change nothing', async () => {
  const { conn } = await openTest('default');
  const direct = createDirectActions(conn);
  await rejectsWith(direct.perform({ action: 'set-vcpus', domain: 'test', source: 'api', vcpus: 0 }), 'VIR_ERR_INVALID_ARG', /set-vcpus needs a positive vcpus count/);
  await rejectsWith(direct.perform({ action: 'save', domain: 'test', source: 'api' }), 'VIR_ERR_INVALID_ARG', /save: path must be a non-empty string/);
  await rejectsWith(direct.perform({ action: 'define', domain: 'x', source: 'api' }), 'VIR_ERR_INVALID_ARG', /define: xml must be a non-empty string/);
  await rejectsWith(direct.perform({ action: 'set-autostart', domain: 'test', source: 'api' }), 'VIR_ERR_INVALID_ARG', /autostart true or false/);
  assert.equal((await conn.getState(await conn.lookupByName('test'))).state, DomainState.RUNNING);
  const made = await direct.perform({ action: 'create', domain: 'vmt-d', source: 'api', xml: testDomainXml('vmt-d') });
  assert.equal(made.outcome, 'done');
  assert.equal(await conn.isPersistent(made.domain), false);
});
