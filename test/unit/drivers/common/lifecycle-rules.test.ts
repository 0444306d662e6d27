import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDestroy, checkManagedSave, checkReboot, checkReset, checkResume, checkSave, checkSaveFlags, checkSetAutostart,
  checkSetMemory, checkSetVcpus, checkShutdown, checkStart, checkSuspend, checkUndefine, resolveAffect,
} from '../../../../src/drivers/common/lifecycle-rules.ts';
import type { RuleSubject } from '../../../../src/drivers/common/lifecycle-rules.ts';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import type { ErrorCode } from '../../../../src/domain/errors.ts';
import { DomainState } from '../../../../src/domain/states.ts';
import type { DomainStateCode } from '../../../../src/domain/states.ts';
import { makeDef } from '../../../helpers/domain-def.ts';

const def = makeDef('vmt-rules', '00000000-0000-4000-8000-000000000001');

function subject(state: DomainStateCode, more: Partial<RuleSubject> = {}): RuleSubject {
  return { state, reason: 0, persistent: true, hasManagedSave: false, def, ...more };
}

/** Runs fn and renders the outcome as one string: the return value, or `CODE: message`. */
function outcome(fn: () => unknown): string {
  try {
    const r = fn();
    return r === undefined ? 'ok' : JSON.stringify(r).replaceAll('"', '');
  } catch (e) {
    assert.ok(e instanceof VirtmonError, `threw a non-VirtmonError: ${String(e)}`);
    return `${e.code}: ${e.message}`;
  }
}

const NOT_RUNNING = 'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: domain is not running';
const PMSUSP = 'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: domain is pmsuspended';
const ALREADY = 'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: domain is already running';

// state → expected outcome per operation (libvirt-semantics.md §3, qemu driver rules).
const S = DomainState;
const table: Array<{ state: DomainStateCode; reason?: number; ops: Record<string, string> }> = [
  { state: S.RUNNING, ops: { start: ALREADY, suspend: 'proceed', resume: ALREADY, shutdown: 'ok', reboot: 'ok', reset: 'ok', destroy: 'ok', save: 'ok', managedsave: 'ok' } },
  { state: S.PAUSED, reason: 1, ops: { start: ALREADY, suspend: 'noop', resume: 'proceed', shutdown: NOT_RUNNING, reboot: 'ok', reset: 'ok', destroy: 'ok', save: 'ok', managedsave: 'ok' } },
  { state: S.SHUTDOWN, ops: { start: ALREADY, suspend: 'proceed', resume: 'noop', shutdown: NOT_RUNNING, reboot: 'ok', reset: 'ok', destroy: 'ok', save: 'ok', managedsave: 'ok' } },
  { state: S.SHUTOFF, ops: { start: 'boot', suspend: NOT_RUNNING, resume: NOT_RUNNING, shutdown: NOT_RUNNING, reboot: NOT_RUNNING, reset: NOT_RUNNING, destroy: NOT_RUNNING, save: NOT_RUNNING, managedsave: NOT_RUNNING } },
  { state: S.NOSTATE, ops: { start: 'boot', suspend: NOT_RUNNING, resume: NOT_RUNNING, shutdown: NOT_RUNNING, reboot: NOT_RUNNING, reset: NOT_RUNNING, destroy: NOT_RUNNING, save: NOT_RUNNING, managedsave: NOT_RUNNING } },
  { state: S.CRASHED, reason: 1, ops: { start: ALREADY, suspend: 'proceed', resume: 'proceed', shutdown: NOT_RUNNING, reboot: 'ok', reset: 'ok', destroy: 'ok', save: 'ok', managedsave: 'ok' } },
  { state: S.CRASHED, reason: 0, ops: { start: ALREADY, suspend: 'proceed', resume: 'noop', shutdown: NOT_RUNNING, reboot: 'ok', reset: 'ok', destroy: 'ok', save: 'ok', managedsave: 'ok' } },
  { state: S.PMSUSPENDED, ops: { start: ALREADY, suspend: PMSUSP, resume: PMSUSP, shutdown: NOT_RUNNING, reboot: 'ok', reset: 'ok', destroy: 'ok', save: 'ok', managedsave: 'ok' } },
  { state: S.BLOCKED, ops: { start: ALREADY, suspend: 'proceed', resume: 'noop', shutdown: NOT_RUNNING, reboot: 'ok', reset: 'ok', destroy: 'ok', save: 'ok', managedsave: 'ok' } },
];

const ops: Record<string, (s: RuleSubject) => unknown> = {
  start: (s) => checkStart(s),
  suspend: checkSuspend,
  resume: checkResume,
  shutdown: checkShutdown,
  reboot: checkReboot,
  reset: checkReset,
  destroy: checkDestroy,
  save: checkSave,
  managedsave: checkManagedSave,
};

for (const row of table) {
  test(`state ${row.state}/${row.reason ?? 0}: every lifecycle op`, () => {
    for (const [op, expected] of Object.entries(row.ops)) {
      const fn = ops[op];
      assert.ok(fn !== undefined);
      assert.equal(outcome(() => fn(subject(row.state, { reason: row.reason ?? 0 }))), expected, `${op} in state ${row.state}`);
    }
  });
}

test('start restores a managed save unless FORCE_BOOT', () => {
  const s = subject(S.SHUTOFF, { hasManagedSave: true });
  assert.equal(checkStart(s), 'restore');
  assert.equal(checkStart(s, { forceBoot: true }), 'boot');
});

test('managed save and autostart need a persistent domain; undefine needs one too', () => {
  const transient = subject(S.RUNNING, { persistent: false });
  assert.equal(outcome(() => checkManagedSave(transient)),
    'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: cannot do managed save for transient domain');
  assert.equal(outcome(() => checkSetAutostart(transient)),
    'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: cannot set autostart for transient domain');
  assert.equal(outcome(() => checkUndefine(transient)),
    'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: cannot undefine transient domain');
  const saved = subject(S.SHUTOFF, { hasManagedSave: true });
  assert.equal(outcome(() => checkUndefine(saved)),
    'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: Refusing to undefine while domain managed save image exists');
  assert.equal(outcome(() => checkUndefine(saved, { managedSave: true })), 'ok');
  assert.equal(outcome(() => checkUndefine(subject(S.RUNNING))), 'ok');
});

test('AFFECT_LIVE / AFFECT_CONFIG / CURRENT', () => {
  assert.deepEqual(resolveAffect(subject(S.RUNNING)), { live: true, config: false });
  assert.deepEqual(resolveAffect(subject(S.SHUTOFF)), { live: false, config: true });
  assert.deepEqual(resolveAffect(subject(S.PAUSED), { live: true, config: true }), { live: true, config: true });
  assert.equal(outcome(() => resolveAffect(subject(S.SHUTOFF), { live: true })), NOT_RUNNING);
  assert.equal(outcome(() => resolveAffect(subject(S.RUNNING, { persistent: false }), { config: true })),
    'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: transient domains do not have any persistent config');
  assert.deepEqual(resolveAffect(subject(S.RUNNING, { persistent: false })), { live: true, config: false });
});

function code(fn: () => unknown): ErrorCode | 'ok' {
  try { fn(); return 'ok'; } catch (e) { assert.ok(e instanceof VirtmonError); return e.code; }
}

test('setMemory: above max, zero, no balloon, maximum on an active domain', () => {
  const running = subject(S.RUNNING);
  assert.deepEqual(checkSetMemory(running, 262144), { live: true, config: false });
  assert.equal(outcome(() => checkSetMemory(running, def.memoryKiB + 1)),
    'VIR_ERR_INVALID_ARG: invalid argument: cannot set memory higher than max memory');
  assert.equal(outcome(() => checkSetMemory(running, 0)),
    'VIR_ERR_INVALID_ARG: invalid argument: memory in virDomainSetMemoryFlags must not be zero');
  const noBalloon = subject(S.RUNNING, { def: { ...def, devices: { ...def.devices, memballoon: { model: 'none', extra: [] } } } });
  assert.equal(outcome(() => checkSetMemory(noBalloon, 1024)),
    'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: Unable to change memory of active domain without the balloon device and guest OS balloon driver');
  // Config change of a domain without a balloon is fine: it only edits the XML.
  assert.equal(code(() => checkSetMemory(subject(S.SHUTOFF, { def: noBalloon.def }), 1024)), 'ok');
  assert.equal(outcome(() => checkSetMemory(running, 4194304, { maximum: true })),
    'VIR_ERR_OPERATION_INVALID: Requested operation is not valid: cannot resize the maximum memory on an active domain');
  assert.deepEqual(checkSetMemory(subject(S.SHUTOFF), 4194304, { maximum: true }), { live: false, config: true });
  // Live and config together: the smaller maximum wins.
  const grown = subject(S.RUNNING, { newDef: { ...def, memoryKiB: 2 * def.memoryKiB } });
  assert.equal(code(() => checkSetMemory(grown, def.memoryKiB + 1, { live: true, config: true })), 'VIR_ERR_INVALID_ARG');
  assert.equal(code(() => checkSetMemory(grown, def.memoryKiB + 1, { config: true })), 'ok');
});

test('setVcpus: zero and above the maximum of each definition', () => {
  const running = subject(S.RUNNING);
  assert.deepEqual(checkSetVcpus(running, 1), { live: true, config: false });
  assert.equal(outcome(() => checkSetVcpus(running, 3)),
    'VIR_ERR_INVALID_ARG: invalid argument: requested vcpus is greater than max allowable vcpus for the live domain: 3 > 2');
  assert.equal(outcome(() => checkSetVcpus(subject(S.SHUTOFF), 3)),
    'VIR_ERR_INVALID_ARG: invalid argument: requested vcpus is greater than max allowable vcpus for the persistent domain: 3 > 2');
  assert.equal(outcome(() => checkSetVcpus(running, 0)),
    'VIR_ERR_INVALID_ARG: invalid argument: nvcpus in virDomainSetVcpusFlags must not be zero');
});

test('save flags RUNNING and PAUSED exclude each other', () => {
  assert.equal(code(() => checkSaveFlags({ running: true, paused: true })), 'VIR_ERR_INVALID_ARG');
  assert.equal(code(() => checkSaveFlags({ running: true })), 'ok');
});
