/**
 * `virsh dominfo` output (cmdDominfo): `%-15s %s` lines. A line whose data the driver could not give
 * is left out or reads `unknown`, exactly where virsh does that.
 */
import type { DomainInfo } from '../../drivers/driver.ts';
import { stateToString } from '../../domain/states.ts';
import { formatFixed, padRight } from './printf.ts';

/** virsh prints `no limit` for this maximum memory (UINT_MAX). */
const NO_LIMIT_KIB = 4294967295;

/** What dominfo shows; absent fields are lines virsh would skip. */
export interface DominfoData {
  /** Runtime id, -1 when inactive (printed `-`). */
  readonly id: number;
  readonly name: string;
  readonly uuid: string;
  readonly osType?: string;
  /** virDomainGetInfo; absent when it failed (the command then fails after printing the rest). */
  readonly info?: DomainInfo;
  /** undefined = the driver could not tell (`unknown`). */
  readonly persistent: boolean | undefined;
  /** Absent when virDomainGetAutostart failed (the line is skipped). */
  readonly autostart?: boolean;
  /** undefined = the driver could not tell (`unknown`). */
  readonly managedSave: boolean | undefined;
  /** virNodeGetSecurityModel, when the driver has one with a non-empty model. */
  readonly security?: {
    readonly model: string;
    readonly doi: string;
    /** Only active domains have a label. */
    readonly label?: { readonly label: string; readonly enforcing: boolean };
  };
  /** Taint and deprecation messages (virDomainGetMessages). */
  readonly messages?: readonly string[];
}

const line = (key: string, value: string): string => `${padRight(key, 15)} ${value}\n`;
const yesNo = (v: boolean | undefined): string => (v === undefined ? 'unknown' : v ? 'yes' : 'no');

/** Renders dominfo's lines. */
export function formatDominfo(d: DominfoData): string {
  let out = line('Id:', d.id < 0 ? '-' : String(d.id));
  out += line('Name:', d.name);
  out += line('UUID:', d.uuid);
  if (d.osType !== undefined) out += line('OS Type:', d.osType);
  if (d.info !== undefined) {
    out += line('State:', stateToString(d.info.state));
    out += line('CPU(s):', String(d.info.nrVirtCpu));
    if (d.info.cpuTimeNs !== 0n) out += line('CPU time:', `${formatFixed(Number(d.info.cpuTimeNs) / 1e9, 1)}s`);
    out += line('Max memory:', d.info.maxMemKiB === NO_LIMIT_KIB ? 'no limit' : `${d.info.maxMemKiB} KiB`);
    out += line('Used memory:', `${d.info.memoryKiB} KiB`);
  }
  out += line('Persistent:', yesNo(d.persistent));
  if (d.autostart !== undefined) out += line('Autostart:', d.autostart ? 'enable' : 'disable');
  out += line('Managed save:', yesNo(d.managedSave));
  if (d.security !== undefined && d.security.model !== '') {
    out += line('Security model:', d.security.model);
    out += line('Security DOI:', d.security.doi);
    const label = d.security.label;
    if (label !== undefined && label.label !== '') {
      out += line('Security label:', `${label.label} (${label.enforcing ? 'enforcing' : 'permissive'})`);
    }
  }
  (d.messages ?? []).forEach((m, i) => { out += line(i === 0 ? 'Messages:' : '', m); });
  return out;
}
