/** GET/GETNEXT/GETBULK semantics of RFC 3416 on a small view, including the size budget. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MibView } from '../../../src/exporters/snmp/mib-view.ts';
import { doGet, doGetBulk, doGetNext } from '../../../src/exporters/snmp/read-ops.ts';
import { V, encodeVarBind, type VarBind } from '../../../src/exporters/snmp/values.ts';

// Two columns (1.1 and 1.2) of three rows, plus a scalar 2.1.0.
const view = new MibView([
  ...[1, 2, 3].flatMap((r) => [{ oid: [1, 1, r], value: V.int(r) }, { oid: [1, 2, r], value: V.int(10 + r) }]),
  { oid: [2, 1, 0], value: V.str('s') },
], [[1, 1], [1, 2], [2, 1]]);
const req = (...oids: number[][]): VarBind[] => oids.map((oid) => ({ oid, value: V.null }));
const names = (vbs: readonly VarBind[]): string[] => vbs.map((v) => `${v.oid.join('.')}=${v.value.type}`);

test('GET: value, noSuchInstance under a known object, noSuchObject elsewhere', () => {
  assert.deepEqual(names(doGet(view, req([1, 1, 2], [1, 1, 9], [1, 3, 1], [2, 1])).varbinds),
    ['1.1.2=integer', '1.1.9=noSuchInstance', '1.3.1=noSuchObject', '2.1=noSuchInstance']);
});

test('GETNEXT: strict successor, endOfMibView with the request name at the end', () => {
  assert.deepEqual(names(doGetNext(view, req([0], [1, 1, 3], [2, 1, 0], [1, 1, 2, 5])).varbinds),
    ['1.1.1=integer', '1.2.1=integer', '2.1.0=endOfMibView', '1.1.3=integer']);
});

test('GETBULK: N + M·R interleaved round by round', () => {
  const r = doGetBulk(view, req([0], [1, 1], [1, 2]), 1, 2, 65535);
  assert.deepEqual(names(r.varbinds), ['1.1.1=integer', '1.1.1=integer', '1.2.1=integer', '1.1.2=integer', '1.2.2=integer']);
});

test('GETBULK stops after a round where every repeater is at endOfMibView, not before', () => {
  const r = doGetBulk(view, req([1, 2, 2], [2]), 0, 10, 65535);
  assert.deepEqual(names(r.varbinds), ['1.2.3=integer', '2.1.0=octets', '2.1.0=octets', '2.1.0=endOfMibView', '2.1.0=endOfMibView', '2.1.0=endOfMibView']);
});

test('GETBULK: negative non-repeaters/max-repetitions count as 0; non-repeaters above the count are capped', () => {
  assert.equal(doGetBulk(view, req([1]), -3, -3, 65535).varbinds.length, 0);
  assert.equal(doGetBulk(view, req([1], [1, 2]), 9, 5, 65535).varbinds.length, 2);
});

test('GETBULK trims from the end to fit the budget (never tooBig) but always makes progress', () => {
  const one = encodeVarBind({ oid: [1, 1, 1], value: V.int(1) }).length;
  const r = doGetBulk(view, req([1]), 0, 100, one * 3);
  assert.equal(r.errorStatus, 0);
  assert.equal(r.varbinds.length, 3);
  assert.equal(doGetBulk(view, req([1]), 0, 100, 1).varbinds.length, 1);
});
