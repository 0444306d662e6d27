/**
 * SNMPv2-MIB (RFC 3418) for the standalone agent: the system group, the snmp group counters, and
 * SNMP-USER-BASED-SM-MIB / SNMP-FRAMEWORK-MIB statistics for v3. In AgentX mode the master serves these.
 */
import { LIBVIRT_COMPLIANCE } from './libvirt-mib.ts';
import type { MibInstance } from './mib-view.ts';
import type { Oid } from './oid.ts';
import { V } from './values.ts';

const SYSTEM: Oid = [1, 3, 6, 1, 2, 1, 1];
const SNMP: Oid = [1, 3, 6, 1, 2, 1, 11];
const USM_STATS: Oid = [1, 3, 6, 1, 6, 3, 15, 1, 1];
const ENGINE: Oid = [1, 3, 6, 1, 6, 3, 10, 2, 1];
/** sysUpTime.0 */
export const SYS_UPTIME_0: Oid = [...SYSTEM, 3, 0];
/** snmpTrapOID.0 */
export const SNMP_TRAP_OID_0: Oid = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];
/** coldStart */
export const COLD_START: Oid = [1, 3, 6, 1, 6, 3, 1, 1, 5, 1];
/** snmpSetSerialNo.0 */
const SET_SERIAL: Oid = [1, 3, 6, 1, 6, 3, 1, 1, 6, 1, 0];

/** Agent counters (snmp group and USM statistics). All are Counter32 on the wire. */
export interface SnmpCounters {
  inPkts: number;
  inBadVersions: number;
  inBadCommunityNames: number;
  inBadCommunityUses: number;
  inASNParseErrs: number;
  silentDrops: number;
  unsupportedSecLevels: number;
  notInTimeWindows: number;
  unknownUserNames: number;
  unknownEngineIDs: number;
  wrongDigests: number;
  decryptionErrors: number;
}

/** All counters at zero. */
export function newCounters(): SnmpCounters {
  return {
    inPkts: 0, inBadVersions: 0, inBadCommunityNames: 0, inBadCommunityUses: 0, inASNParseErrs: 0, silentDrops: 0,
    unsupportedSecLevels: 0, notInTimeWindows: 0, unknownUserNames: 0, unknownEngineIDs: 0, wrongDigests: 0,
    decryptionErrors: 0,
  };
}

/** What the system group says about us. */
export interface SystemInfo {
  readonly descr: string;
  readonly objectId: Oid;
  readonly contact: string;
  readonly name: string;
  readonly location: string;
}

/** Engine facts for SNMP-FRAMEWORK-MIB's snmpEngine group. */
export interface EngineInfo {
  readonly engineId: Buffer;
  readonly boots: number;
  readonly time: number;
  readonly maxMessageSize: number;
}

/** The standalone agent's own instances. `uptime` is in 1/100 s since the bridge started. */
export function systemInstances(sys: SystemInfo, uptime: number, counters: SnmpCounters, engine?: EngineInfo): MibInstance[] {
  const out: MibInstance[] = [
    { oid: [...SYSTEM, 1, 0], value: V.str(sys.descr) },
    { oid: [...SYSTEM, 2, 0], value: V.oid(sys.objectId) },
    { oid: SYS_UPTIME_0, value: V.timeticks(uptime) },
    { oid: [...SYSTEM, 4, 0], value: V.str(sys.contact) },
    { oid: [...SYSTEM, 5, 0], value: V.str(sys.name) },
    { oid: [...SYSTEM, 6, 0], value: V.str(sys.location) },
    { oid: [...SYSTEM, 7, 0], value: V.int(72) },
    { oid: [...SYSTEM, 8, 0], value: V.timeticks(0) },
    { oid: [...SYSTEM, 9, 1, 2, 1], value: V.oid(LIBVIRT_COMPLIANCE) },
    { oid: [...SYSTEM, 9, 1, 3, 1], value: V.str('LIBVIRT-MIB') },
    { oid: [...SYSTEM, 9, 1, 4, 1], value: V.timeticks(0) },
    { oid: [...SNMP, 1, 0], value: V.counter32(counters.inPkts) },
    { oid: [...SNMP, 3, 0], value: V.counter32(counters.inBadVersions) },
    { oid: [...SNMP, 4, 0], value: V.counter32(counters.inBadCommunityNames) },
    { oid: [...SNMP, 5, 0], value: V.counter32(counters.inBadCommunityUses) },
    { oid: [...SNMP, 6, 0], value: V.counter32(counters.inASNParseErrs) },
    { oid: [...SNMP, 30, 0], value: V.int(2) },
    { oid: [...SNMP, 31, 0], value: V.counter32(counters.silentDrops) },
    { oid: [...SNMP, 32, 0], value: V.counter32(0) },
    { oid: SET_SERIAL, value: V.int(0) },
  ];
  if (engine !== undefined) {
    out.push(
      { oid: [...ENGINE, 1, 0], value: V.str(engine.engineId) },
      { oid: [...ENGINE, 2, 0], value: V.int(engine.boots) },
      { oid: [...ENGINE, 3, 0], value: V.int(engine.time) },
      { oid: [...ENGINE, 4, 0], value: V.int(engine.maxMessageSize) },
    );
    const stats = [counters.unsupportedSecLevels, counters.notInTimeWindows, counters.unknownUserNames,
      counters.unknownEngineIDs, counters.wrongDigests, counters.decryptionErrors];
    stats.forEach((n, i) => out.push({ oid: [...USM_STATS, i + 1, 0], value: V.counter32(n) }));
  }
  return out;
}

/** Object types of {@link systemInstances} (instance suffix dropped). */
export function systemObjects(withEngine: boolean): Oid[] {
  const objs: Oid[] = [
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => [...SYSTEM, n]),
    ...[2, 3, 4].map((n) => [...SYSTEM, 9, 1, n]),
    ...[1, 3, 4, 5, 6, 30, 31, 32].map((n) => [...SNMP, n]),
    SET_SERIAL.slice(0, -1),
  ];
  if (withEngine) objs.push(...[1, 2, 3, 4].map((n) => [...ENGINE, n]), ...[1, 2, 3, 4, 5, 6].map((n) => [...USM_STATS, n]));
  return objs;
}

/** USM statistic OIDs by name (for Report PDUs). */
export const UsmStat = {
  unsupportedSecLevels: [...USM_STATS, 1, 0],
  notInTimeWindows: [...USM_STATS, 2, 0],
  unknownUserNames: [...USM_STATS, 3, 0],
  unknownEngineIDs: [...USM_STATS, 4, 0],
  wrongDigests: [...USM_STATS, 5, 0],
  decryptionErrors: [...USM_STATS, 6, 0],
} as const satisfies Record<string, Oid>;
