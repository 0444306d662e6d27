/**
 * libvirtGuestNotif (reference §5): one notification per lifecycle event, varbinds sysUpTime.0,
 * snmpTrapOID.0, then Name, UUID, State, RowStatus with the `.0` suffix (libvirt-snmp) or the row index.
 */
import { uuidToBytes } from '../../domain/domain-ref.ts';
import { LifecycleType, type LifecycleEvent } from '../../domain/events.ts';
import { Col, GUEST_ENTRY, GUEST_NOTIF, RowStatus, mibState, uuidIndex } from './libvirt-mib.ts';
import type { Oid } from './oid.ts';
import { SNMP_TRAP_OID_0, SYS_UPTIME_0 } from './system-mib.ts';
import { V, type VarBind } from './values.ts';

/** virDomainState after a lifecycle event (the trap reports the state the event leads to). */
export function stateAfter(type: LifecycleEvent['type']): number {
  switch (type) {
    case LifecycleType.STARTED:
    case LifecycleType.RESUMED: return 1;
    case LifecycleType.SUSPENDED: return 3;
    case LifecycleType.PMSUSPENDED: return 7;
    case LifecycleType.CRASHED: return 6;
    case LifecycleType.SHUTDOWN: return 4;
    case LifecycleType.DEFINED:
    case LifecycleType.UNDEFINED:
    case LifecycleType.STOPPED: return 5;
  }
}

/** The varbinds of libvirtGuestNotif for an event. `uptime` in 1/100 s. */
export function guestNotifVarBinds(event: LifecycleEvent, uptime: number, instance: 'zero' | 'index', liveState?: number): VarBind[] {
  const driverState = event.type === LifecycleType.DEFINED && liveState !== undefined ? liveState : stateAfter(event.type);
  const state = mibState(driverState);
  const suffix: Oid = instance === 'zero' ? [0] : uuidIndex(event.domain.uuid);
  const col = (c: number): Oid => [...GUEST_ENTRY, c, ...suffix];
  const down = state === 4 || state === 5 || state === 6;
  return [
    { oid: SYS_UPTIME_0, value: V.timeticks(uptime) },
    { oid: SNMP_TRAP_OID_0, value: V.oid(GUEST_NOTIF) },
    { oid: col(Col.NAME), value: V.str(event.domain.name) },
    { oid: col(Col.UUID), value: V.str(Buffer.from(uuidToBytes(event.domain.uuid))) },
    { oid: col(Col.STATE), value: V.int(state) },
    { oid: col(Col.ROW_STATUS), value: V.int(down ? RowStatus.notInService : RowStatus.active) },
  ];
}
