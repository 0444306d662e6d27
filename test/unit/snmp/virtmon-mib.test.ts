/** virtmonAlertNotif varbinds, the UTF-8 cut, the PDU tally and the PDU-type peek. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Notification } from '../../../src/actions/notify/types.ts';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { Col, GUEST_ENTRY, uuidIndex } from '../../../src/exporters/snmp/libvirt-mib.ts';
import { PduType, Version, encodeCommunityMessage, peekPduType } from '../../../src/exporters/snmp/pdu.ts';
import { PduTally } from '../../../src/exporters/snmp/pdu-tally.ts';
import { SNMP_TRAP_OID_0, SYS_UPTIME_0 } from '../../../src/exporters/snmp/system-mib.ts';
import { V } from '../../../src/exporters/snmp/values.ts';
import { ALERT, ALERT_NOTIF, alertNotifVarBinds, utf8Within, valueText } from '../../../src/exporters/snmp/virtmon-mib.ts';

const UUID = 'a1000000-0000-4000-8000-0000000000a1';
const N: Notification = {
  severity: 'failure', previous: 'okay', time: 0, rule: 'busy', domain: { name: 'vm1', uuid: UUID },
  metric: 'libvirt_domain_info_cpu_time_seconds_total', labels: {}, value: 0.25, rate: true, thresholds: { failureMax: 0.1 },
  missing: false, message: 'Host vm1, plugin virt: value 0.25 above 0.1', intervalSeconds: 5,
};

test('alertNotifVarBinds: sysUpTime, snmpTrapOID, guest name and UUID, then the six alert objects', () => {
  const vbs = alertNotifVarBinds(N, 1234, 'zero');
  assert.deepEqual(vbs.map((v) => v.oid), [
    SYS_UPTIME_0, SNMP_TRAP_OID_0, [...GUEST_ENTRY, Col.NAME, 0], [...GUEST_ENTRY, Col.UUID, 0],
    ...[1, 2, 3, 4, 5, 6].map((o) => [...ALERT, o, 0]),
  ]);
  assert.deepEqual(vbs.map((v) => v.value), [
    V.timeticks(1234), V.oid(ALERT_NOTIF), V.str('vm1'), V.str(Buffer.from(uuidToBytes(UUID))), V.str('busy'),
    V.int(1), V.int(4), V.str(N.metric), V.str('0.25'), V.str(N.message),
  ]);
  assert.deepEqual(ALERT_NOTIF, [1, 3, 6, 1, 4, 1, 36957, 100, 0, 1]);
});

test('alertNotifVarBinds with index suffixes; no value gives an empty string', () => {
  const { value: _unused, ...rest } = N;
  const vbs = alertNotifVarBinds({ ...rest, severity: 'okay', previous: 'warning', missing: true }, 0, 'index');
  assert.deepEqual(vbs[2]?.oid, [...GUEST_ENTRY, Col.NAME, ...uuidIndex(UUID)]);
  assert.deepEqual(vbs[8]?.value, V.str(''));
  assert.deepEqual(vbs[5]?.value, V.int(4));
  assert.deepEqual(vbs[6]?.value, V.int(2));
});

test('utf8Within cuts on a character boundary; valueText prints numbers and nothing for NaN', () => {
  assert.equal(utf8Within('abc', 10).toString(), 'abc');
  assert.equal(utf8Within('aé', 2).toString(), 'a');
  assert.equal(utf8Within('€€', 4).toString(), '€');
  assert.equal(valueText(undefined), '');
  assert.equal(valueText(Number.NaN), '');
  assert.equal(valueText(3), '3');
  assert.equal(valueText(1e-7), '1e-7');
});

test('PduTally counts by kind and result, ignores responses, lists every pair', () => {
  const t = new PduTally();
  t.count(PduType.GET, 'ok');
  t.count(PduType.GET, 'ok');
  t.count(PduType.SET, 'error');
  t.count(PduType.RESPONSE, 'ok');
  assert.equal(t.get('get', 'ok'), 2);
  assert.equal(t.get('set', 'error'), 1);
  const all = t.entries();
  assert.equal(all.length, 18);
  assert.equal(all.reduce((s, e) => s + e.value, 0), 3);
});

test('peekPduType reads a v2c PDU tag and gives up on v3 or garbage', () => {
  const msg = encodeCommunityMessage({
    version: Version.V2C, community: Buffer.from('x'),
    pdu: { type: PduType.GET_BULK, requestId: 1, errorStatus: 0, errorIndex: 5, varbinds: [] },
  });
  assert.equal(peekPduType(msg), PduType.GET_BULK);
  assert.equal(peekPduType(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x03])), undefined);
  assert.equal(peekPduType(Buffer.from('garbage')), undefined);
});
