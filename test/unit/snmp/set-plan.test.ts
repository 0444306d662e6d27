/** SET validation against reference §4: every row of the transition and RowStatus tables, error-index exact. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { GUEST_ENTRY, type LiveDomain } from '../../../src/exporters/snmp/libvirt-mib.ts';
import { ErrorStatus } from '../../../src/exporters/snmp/pdu.ts';
import { planSet } from '../../../src/exporters/snmp/set-plan.ts';
import { V, type SnmpValue, type VarBind } from '../../../src/exporters/snmp/values.ts';

const dom = (n: number, state: number): LiveDomain => ({ uuid: `a${n}000000-0000-4000-8000-0000000000a${n}`, name: `d${n}`, state });
const RUN = dom(1, 1);
const PAUSED = dom(3, 3);
const OFF = dom(5, 5);
const PM = dom(7, 7);
const domains = [RUN, PAUSED, OFF, PM];
const vb = (col: number, d: LiveDomain | number[], value: SnmpValue): VarBind =>
  ({ oid: [...GUEST_ENTRY, col, ...(Array.isArray(d) ? d : [...uuidToBytes(d.uuid)])], value });
const plan = (list: VarBind[], listInactive = false) => planSet(list, domains, true, listInactive);
const err = (status: number, index = 1) => ({ ok: false, errorStatus: status, errorIndex: index });

test('libvirtGuestState transitions', () => {
  assert.deepEqual(plan([vb(3, RUN, V.int(3))]), { ok: true, action: { action: 'suspend', uuid: RUN.uuid, name: 'd1', index: 1 } });
  assert.deepEqual(plan([vb(3, PAUSED, V.int(1))]), { ok: true, action: { action: 'resume', uuid: PAUSED.uuid, name: 'd3', index: 1 } });
  assert.deepEqual(plan([vb(3, RUN, V.int(4))]), { ok: true, action: { action: 'shutdown', uuid: RUN.uuid, name: 'd1', index: 1 } });
  for (const [d, v] of [[RUN, 1], [RUN, 2], [RUN, 5], [RUN, 6], [PAUSED, 3], [PAUSED, 4], [PM, 1]] as const) {
    assert.deepEqual(plan([vb(3, d, V.int(v))]), err(ErrorStatus.inconsistentValue), `${d.name} → ${v}`);
  }
  assert.deepEqual(plan([vb(3, RUN, V.int(0))]), err(ErrorStatus.wrongValue));
  assert.deepEqual(plan([vb(3, RUN, V.int(7))]), err(ErrorStatus.wrongValue));
  assert.deepEqual(plan([vb(3, RUN, V.str('x'))]), err(ErrorStatus.wrongType));
  assert.deepEqual(plan([vb(3, OFF, V.int(1))]), err(ErrorStatus.inconsistentName));
  assert.deepEqual(plan([vb(3, dom(9, 1), V.int(3))]), err(ErrorStatus.noCreation));
  assert.deepEqual(plan([vb(3, [1, 2, 3], V.int(3))]), err(ErrorStatus.noCreation));
  assert.deepEqual(plan([vb(3, [...Array<number>(15).fill(1), 256], V.int(3))]), err(ErrorStatus.noCreation));
});

test('read-only, UUID and missing columns are notWritable; a read-only principal gets noAccess', () => {
  for (const col of [1, 2, 4, 5, 6, 7, 8, 10]) assert.deepEqual(plan([vb(col, RUN, V.int(1))]), err(ErrorStatus.notWritable), `column ${col}`);
  assert.deepEqual(plan([{ oid: [1, 3, 6, 1, 2, 1, 1, 5, 0], value: V.str('x') }]), err(ErrorStatus.notWritable));
  assert.deepEqual(planSet([vb(3, RUN, V.int(3))], domains, false, false), err(ErrorStatus.noAccess));
});

test('RowStatus: createAndGo, destroy, active, notInService, createAndWait, notReady', () => {
  assert.deepEqual(plan([vb(9, OFF, V.int(4))]), { ok: true, action: { action: 'start', uuid: OFF.uuid, name: 'd5', startPaused: false, index: 1 } });
  assert.deepEqual(plan([vb(9, OFF, V.int(4)), vb(3, OFF, V.int(3))]),
    { ok: true, action: { action: 'start', uuid: OFF.uuid, name: 'd5', startPaused: true, index: 1 } });
  assert.deepEqual(plan([vb(3, OFF, V.int(1)), vb(9, OFF, V.int(4))]),
    { ok: true, action: { action: 'start', uuid: OFF.uuid, name: 'd5', startPaused: false, index: 1 } });
  assert.deepEqual(plan([vb(9, OFF, V.int(4)), vb(3, OFF, V.int(4))]), err(ErrorStatus.inconsistentValue, 2));
  assert.deepEqual(plan([vb(9, RUN, V.int(4))]), err(ErrorStatus.inconsistentValue));
  assert.deepEqual(plan([vb(9, dom(9, 5), V.int(4))]), err(ErrorStatus.noCreation));
  assert.deepEqual(plan([vb(9, RUN, V.int(6))]), { ok: true, action: { action: 'destroy', uuid: RUN.uuid, name: 'd1', index: 1 } });
  assert.deepEqual(plan([vb(9, OFF, V.int(6))]), { ok: true });
  assert.deepEqual(plan([vb(9, RUN, V.int(1))]), { ok: true });
  assert.deepEqual(plan([vb(9, OFF, V.int(1))]), err(ErrorStatus.inconsistentValue));
  assert.deepEqual(plan([vb(9, OFF, V.int(2))]), err(ErrorStatus.inconsistentValue));
  assert.deepEqual(plan([vb(9, RUN, V.int(2))]), err(ErrorStatus.wrongValue));
  assert.deepEqual(plan([vb(9, RUN, V.int(5))]), err(ErrorStatus.wrongValue));
  assert.deepEqual(plan([vb(9, OFF, V.int(3))]), err(ErrorStatus.wrongValue));
});

test('listInactive: shutoff rows exist; createAndGo on them starts (libvirt-snmp), State on them is inconsistentValue', () => {
  assert.deepEqual(plan([vb(9, OFF, V.int(4))], true), { ok: true, action: { action: 'start', uuid: OFF.uuid, name: 'd5', startPaused: false, index: 1 } });
  assert.deepEqual(plan([vb(3, OFF, V.int(1))], true), err(ErrorStatus.inconsistentValue));
  assert.deepEqual(plan([vb(9, OFF, V.int(1))], true), { ok: true });
});

test('more than one action in a PDU: inconsistentValue at the second; the first failure wins the index', () => {
  assert.deepEqual(plan([vb(3, RUN, V.int(3)), vb(3, PAUSED, V.int(1))]), err(ErrorStatus.inconsistentValue, 2));
  assert.deepEqual(plan([vb(3, RUN, V.int(3)), vb(9, RUN, V.int(6))]), err(ErrorStatus.inconsistentValue, 2));
  assert.deepEqual(plan([vb(9, RUN, V.int(1)), vb(2, RUN, V.str('x'))]), err(ErrorStatus.notWritable, 2));
  assert.deepEqual(plan([vb(3, RUN, V.int(3)), vb(9, RUN, V.int(1))]).ok, true);
});
