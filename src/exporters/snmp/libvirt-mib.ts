/**
 * LIBVIRT-MIB (libvirt-snmp v0.0.4, enterprise 36957): OIDs, the guest rows and their instances.
 * Rows come from the live domain listing (state and membership, S6) joined with the snapshot's counters.
 */
import { uuidToBytes } from '../../domain/domain-ref.ts';
import type { SnapshotView } from '../../snapshot/types.ts';
import type { MibInstance } from './mib-view.ts';
import type { Oid } from './oid.ts';
import { V, clamp32 } from './values.ts';

/** 1.3.6.1.4.1.36957 */
export const LIBVIRT_MIB: Oid = [1, 3, 6, 1, 4, 1, 36957];
/** libvirtGuestNotif */
export const GUEST_NOTIF: Oid = [...LIBVIRT_MIB, 0, 1];
/** libvirtGuestEntry; columns are ENTRY.c */
export const GUEST_ENTRY: Oid = [...LIBVIRT_MIB, 1, 1, 1];
/** libvirtCompliance, the sysORID of our sysORTable row. */
export const LIBVIRT_COMPLIANCE: Oid = [...LIBVIRT_MIB, 2, 1, 1];

/** Column numbers of libvirtGuestEntry. */
export const Col = { UUID: 1, NAME: 2, STATE: 3, CPU_COUNT: 4, MEM_CURRENT: 5, MEM_LIMIT: 6, CPU_TIME: 7, ROW_STATUS: 9 } as const;

/** Columns a GET/GETNEXT may read (UUID is accessible-for-notify, 8 does not exist). */
export const READABLE_COLUMNS = [Col.NAME, Col.STATE, Col.CPU_COUNT, Col.MEM_CURRENT, Col.MEM_LIMIT, Col.CPU_TIME, Col.ROW_STATUS] as const;

/** RowStatus values (RFC 2579). */
export const RowStatus = { active: 1, notInService: 2, notReady: 3, createAndGo: 4, createAndWait: 5, destroy: 6 } as const;

/** A domain as the live listing reports it (a drivers DomainListEntry fits). */
export interface LiveDomain {
  readonly uuid: string;
  readonly name: string;
  /** virDomainState 0..7. */
  readonly state: number;
}

/** One libvirtGuestTable row. */
export interface GuestRow {
  readonly uuid: string;
  readonly index: readonly number[];
  readonly name: string;
  /** The driver state (SET checks use it). */
  readonly driverState: number;
  readonly cpuCount?: number;
  readonly memCurrentMiB?: number;
  readonly memLimitMiB?: number;
  readonly cpuTimeNs?: bigint;
}

/** virDomainState → libvirtGuestState: pmsuspended reads as paused; 0 has no enumeration value. */
export function mibState(driverState: number): number {
  if (driverState === 7) return 3;
  return driverState >= 1 && driverState <= 6 ? driverState : 5;
}

/** Index sub-ids of a UUID: 16 bytes, no length (fixed-size string, RFC 2578 §7.7). */
export function uuidIndex(uuid: string): number[] {
  return [...uuidToBytes(uuid)];
}

/** True when a domain is listed as a row (S5: active domains; inactive ones too with listInactive). */
export function isRow(d: LiveDomain, listInactive: boolean): boolean {
  if (d.state === 0) return false;
  return listInactive || d.state !== 5;
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;

/** Builds the rows of the listed domains, with counters from the snapshot. */
export function buildRows(domains: readonly LiveDomain[], snapshot: SnapshotView, listInactive: boolean): GuestRow[] {
  const rows: GuestRow[] = [];
  for (const d of domains) {
    if (!isRow(d, listInactive)) continue;
    const fields = snapshot.get(d.uuid)?.sample.fields;
    const active = d.state !== 5;
    const cpu = fields?.get('cpu.time');
    const cpuCount = num(fields?.get('vcpu.current'));
    const cur = num(fields?.get('balloon.current'));
    const max = num(fields?.get('balloon.maximum'));
    rows.push({
      uuid: d.uuid, index: uuidIndex(d.uuid), name: d.name, driverState: d.state,
      ...(cpuCount === undefined || !active ? {} : { cpuCount }),
      ...(cur === undefined || !active ? {} : { memCurrentMiB: Math.floor(cur / 1024) }),
      ...(max === undefined ? {} : { memLimitMiB: Math.floor(max / 1024) }),
      ...(typeof cpu === 'bigint' && active ? { cpuTimeNs: cpu } : typeof cpu === 'number' && active ? { cpuTimeNs: BigInt(Math.trunc(cpu)) } : {}),
    });
  }
  return rows;
}

/** The instances of one row, skipping columns whose value the snapshot does not have. */
export function rowInstances(row: GuestRow): MibInstance[] {
  const at = (col: number): Oid => [...GUEST_ENTRY, col, ...row.index];
  const out: MibInstance[] = [
    { oid: at(Col.NAME), value: V.str(row.name) },
    { oid: at(Col.STATE), value: V.int(mibState(row.driverState)) },
    { oid: at(Col.ROW_STATUS), value: V.int(RowStatus.active) },
  ];
  if (row.cpuCount !== undefined) out.push({ oid: at(Col.CPU_COUNT), value: V.gauge32(row.cpuCount) });
  if (row.memCurrentMiB !== undefined) out.push({ oid: at(Col.MEM_CURRENT), value: V.gauge32(clamp32(row.memCurrentMiB)) });
  if (row.memLimitMiB !== undefined) out.push({ oid: at(Col.MEM_LIMIT), value: V.gauge32(clamp32(row.memLimitMiB)) });
  if (row.cpuTimeNs !== undefined) out.push({ oid: at(Col.CPU_TIME), value: V.counter64(row.cpuTimeNs) });
  return out;
}

/** Readable column OIDs (for noSuchInstance vs noSuchObject). */
export function guestObjects(): Oid[] {
  return READABLE_COLUMNS.map((c) => [...GUEST_ENTRY, c]);
}
