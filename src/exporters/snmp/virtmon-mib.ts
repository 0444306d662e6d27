/**
 * VIRTMON-MIB (mibs/VIRTMON-MIB.txt): virtmonAlertNotif, the trap a rule's `trap` action sends. virtmon
 * has no enterprise number of its own, so the module sits at libvirtMIB.100, an arc libvirt-snmp leaves
 * unused; the guest is named with LIBVIRT-MIB's own Name and UUID columns so managers match it to rows.
 */
import { SEVERITY_CODE, type Notification } from '../../actions/notify/types.ts';
import { uuidToBytes } from '../../domain/domain-ref.ts';
import { Col, GUEST_ENTRY, LIBVIRT_MIB, uuidIndex } from './libvirt-mib.ts';
import type { Oid } from './oid.ts';
import { SNMP_TRAP_OID_0, SYS_UPTIME_0 } from './system-mib.ts';
import { V, type VarBind } from './values.ts';

/** 1.3.6.1.4.1.36957.100 (virtmonMIB) */
export const VIRTMON_MIB: Oid = [...LIBVIRT_MIB, 100];
/** virtmonAlertNotif */
export const ALERT_NOTIF: Oid = [...VIRTMON_MIB, 0, 1];
/** virtmonAlert; its objects are ALERT.n */
export const ALERT: Oid = [...VIRTMON_MIB, 1, 1];

/** Sub-identifiers of the virtmonAlert objects. */
export const AlertObj = { RULE: 1, SEVERITY: 2, PREVIOUS: 3, METRIC: 4, VALUE: 5, MESSAGE: 6 } as const;

/** Cuts UTF-8 text to the MIB's SIZE bound without splitting a character. */
export function utf8Within(text: string, max: number): Buffer {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= max) return buf;
  let end = max;
  // Back up over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end);
}

/** The metric value as decimal text (SNMP has no float); empty when there was none. */
export function valueText(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '';
  return String(value);
}

/** The varbinds of virtmonAlertNotif. `uptime` in 1/100 s; `instance` as snmp.trapInstance. */
export function alertNotifVarBinds(n: Notification, uptime: number, instance: 'zero' | 'index'): VarBind[] {
  const suffix: Oid = instance === 'zero' ? [0] : uuidIndex(n.domain.uuid);
  const alert = (o: number): Oid => [...ALERT, o, 0];
  return [
    { oid: SYS_UPTIME_0, value: V.timeticks(uptime) },
    { oid: SNMP_TRAP_OID_0, value: V.oid(ALERT_NOTIF) },
    { oid: [...GUEST_ENTRY, Col.NAME, ...suffix], value: V.str(n.domain.name) },
    { oid: [...GUEST_ENTRY, Col.UUID, ...suffix], value: V.str(Buffer.from(uuidToBytes(n.domain.uuid))) },
    { oid: alert(AlertObj.RULE), value: V.str(utf8Within(n.rule, 255)) },
    { oid: alert(AlertObj.SEVERITY), value: V.int(SEVERITY_CODE[n.severity]) },
    { oid: alert(AlertObj.PREVIOUS), value: V.int(SEVERITY_CODE[n.previous]) },
    { oid: alert(AlertObj.METRIC), value: V.str(utf8Within(n.metric, 255)) },
    { oid: alert(AlertObj.VALUE), value: V.str(valueText(n.value)) },
    { oid: alert(AlertObj.MESSAGE), value: V.str(utf8Within(n.message, 1024)) },
  ];
}
