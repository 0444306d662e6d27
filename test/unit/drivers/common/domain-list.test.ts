import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainList } from '../../../../src/drivers/common/domain-list.ts';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { DomainState, RunningReason, ShutoffReason } from '../../../../src/domain/states.ts';
import { makeDef } from '../../../helpers/domain-def.ts';

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';

function newList(): DomainList<{ tag: string }> {
  return new DomainList((def) => ({ tag: def.name }));
}

function errorOf(fn: () => unknown): VirtmonError {
  try { fn(); } catch (e) { if (e instanceof VirtmonError) return e; throw e; }
  assert.fail('expected a VirtmonError');
}

test('define adds, redefine with the same name and uuid updates', () => {
  const list = newList();
  const first = list.define(makeDef('vmt-a', U1));
  assert.equal(first.updated, false);
  assert.equal(first.obj.persistent, true);
  assert.equal(first.obj.priv.tag, 'vmt-a');
  assert.equal(first.obj.state, DomainState.SHUTOFF);
  assert.equal(first.obj.id, -1);
  const second = list.define(makeDef('vmt-a', U1, { memoryKiB: 2097152 }));
  assert.equal(second.updated, true);
  assert.equal(second.obj, first.obj);
  assert.equal(second.obj.def.memoryKiB, 2097152);
  assert.equal(list.size, 1);
});

test('uniqueness errors change nothing', () => {
  const list = newList();
  list.define(makeDef('vmt-a', U1));
  const otherUuid = errorOf(() => list.define(makeDef('vmt-a', U2)));
  assert.equal(otherUuid.code, 'VIR_ERR_OPERATION_FAILED');
  assert.equal(otherUuid.message, `operation failed: domain 'vmt-a' already exists with uuid ${U1}`);
  const otherName = errorOf(() => list.define(makeDef('vmt-b', U1, { memoryKiB: 1 })));
  assert.equal(otherName.code, 'VIR_ERR_OPERATION_FAILED');
  assert.equal(otherName.message, `operation failed: domain 'vmt-a' is already defined with uuid ${U1}`);
  assert.equal(list.size, 1);
  assert.equal(list.getByUuid(U1).def.memoryKiB, 1048576);
  assert.equal(list.findByName('vmt-b'), undefined);
});

test('lookups by name, uuid and id, with libvirt NO_DOMAIN texts', () => {
  const list = newList();
  const { obj } = list.define(makeDef('vmt-a', U1));
  assert.equal(list.getByName('vmt-a'), obj);
  assert.equal(list.getByUuid(U1.toUpperCase()), obj);
  assert.equal(errorOf(() => list.getByName('nope')).message, "Domain not found: no domain with matching name 'nope'");
  assert.equal(errorOf(() => list.getByUuid(U2)).message, `Domain not found: no domain with matching uuid '${U2}'`);
  assert.equal(errorOf(() => list.getById(1)).message, 'Domain not found: no domain with matching id 1');
  list.markStarted(obj, DomainState.RUNNING, RunningReason.BOOTED);
  assert.equal(list.getById(1), obj);
  assert.equal(errorOf(() => list.resolve({ name: 'gone', uuid: U2, id: -1 })).message,
    `Domain not found: no domain with matching uuid '${U2}' (gone)`);
});

test('ids come from a counter at each start and are never reused', () => {
  const list = newList();
  const a = list.define(makeDef('vmt-a', U1)).obj;
  const b = list.define(makeDef('vmt-b', U2)).obj;
  list.markStarted(a, DomainState.RUNNING, RunningReason.BOOTED);
  list.markStarted(b, DomainState.RUNNING, RunningReason.BOOTED);
  assert.deepEqual([a.id, b.id], [1, 2]);
  list.markStopped(a, ShutoffReason.DESTROYED);
  assert.equal(a.id, -1);
  assert.equal(list.findById(1), undefined);
  list.markStarted(a, DomainState.RUNNING, RunningReason.BOOTED);
  assert.equal(a.id, 3);
});

test('a running domain keeps its live definition and boots the new one next time', () => {
  const list = newList();
  const { obj } = list.define(makeDef('vmt-a', U1));
  list.markStarted(obj, DomainState.RUNNING, RunningReason.BOOTED);
  const { updated } = list.define(makeDef('vmt-a', U1, { memoryKiB: 4194304 }));
  assert.equal(updated, true);
  assert.equal(obj.def.memoryKiB, 1048576);
  assert.equal(obj.persistentDef()?.memoryKiB, 4194304);
  list.markStopped(obj, ShutoffReason.SHUTDOWN);
  assert.equal(obj.def.memoryKiB, 4194304);
  assert.equal(obj.newDef, undefined);
});

test('transient domains: create over nothing, leave the list when they stop, become persistent by define', () => {
  const list = newList();
  const { obj, created } = list.add(makeDef('vmt-t', U1), { live: true, checkLive: true });
  assert.equal(created, true);
  assert.equal(obj.persistent, false);
  list.markStarted(obj, DomainState.RUNNING, RunningReason.BOOTED);
  const again = errorOf(() => list.add(makeDef('vmt-t', U1), { live: true, checkLive: true }));
  assert.equal(again.message, "Requested operation is not valid: domain 'vmt-t' is already active");
  // Defining a running transient domain is an ADDED (there was no config), and it stays after stop.
  assert.equal(list.define(makeDef('vmt-t', U1, { memoryKiB: 2097152 })).updated, false);
  assert.equal(list.markStopped(obj, ShutoffReason.DESTROYED), false);
  assert.equal(obj.def.memoryKiB, 2097152);
  const other = list.add(makeDef('vmt-u', U2), { live: true }).obj;
  list.markStarted(other, DomainState.RUNNING, RunningReason.BOOTED);
  assert.equal(list.markStopped(other, ShutoffReason.DESTROYED), true);
  assert.equal(list.findByUuid(U2), undefined);
});

test('create over a defined inactive domain runs the given definition once', () => {
  const list = newList();
  const { obj } = list.define(makeDef('vmt-a', U1));
  list.add(makeDef('vmt-a', U1, { memoryKiB: 65536 }), { live: true, checkLive: true });
  list.markStarted(obj, DomainState.RUNNING, RunningReason.BOOTED);
  assert.equal(obj.def.memoryKiB, 65536);
  assert.equal(obj.persistentDef()?.memoryKiB, 1048576);
  list.markStopped(obj, ShutoffReason.DESTROYED);
  assert.equal(obj.def.memoryKiB, 1048576);
});

test('undefine: inactive leaves, running becomes transient, managed save and autostart go with it', () => {
  const list = newList();
  const a = list.define(makeDef('vmt-a', U1)).obj;
  a.hasManagedSave = true;
  assert.equal(errorOf(() => list.undefine(a, {})).message,
    'Requested operation is not valid: Refusing to undefine while domain managed save image exists');
  assert.equal(list.size, 1);
  list.undefine(a, { managedSave: true });
  assert.equal(list.size, 0);

  const b = list.define(makeDef('vmt-b', U2)).obj;
  b.autostart = true;
  list.markStarted(b, DomainState.RUNNING, RunningReason.BOOTED);
  list.undefine(b, {});
  assert.equal(b.persistent, false);
  assert.equal(b.autostart, false);
  assert.equal(list.size, 1);
  assert.equal(errorOf(() => list.undefine(b, {})).message, 'Requested operation is not valid: cannot undefine transient domain');
  list.markStopped(b, ShutoffReason.SHUTDOWN);
  assert.equal(list.size, 0);
});

test('a start consumes the managed-save flag', () => {
  const list = newList();
  const a = list.define(makeDef('vmt-a', U1)).obj;
  a.hasManagedSave = true;
  list.markStarted(a, DomainState.RUNNING, RunningReason.RESTORED);
  assert.equal(a.hasManagedSave, false);
  assert.deepEqual(a.ref, { name: 'vmt-a', uuid: U1, id: 1 });
});
