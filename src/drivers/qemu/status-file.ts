/**
 * Per-domain status files (libvirt's /run/libvirt/qemu/NAME.xml `<domstatus>`): everything a new
 * driver instance needs to find a running QEMU again and carry on: pid, monitor path, taps, cgroups,
 * vCPU threads, device aliases, state flags and the live definition. Written atomically on every state
 * change, removed when the domain stops. JSON with the live domain XML inside.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StatsDisk } from '../../domain/stats-target.ts';
import type { LaunchedNic } from './argv-devices.ts';
import { removeFile, writeFileAtomic } from './atomic-file.ts';
import type { CgroupRecord } from './cgroup.ts';
import type { AsyncJob, QemuRun } from './run.ts';
import type { TapRecord } from './tap.ts';

/** File suffix of status files in the run directory. */
export const STATUS_SUFFIX = '.status.json';

/** The status file's content. */
export interface DomainStatus {
  readonly version: 1;
  readonly name: string;
  readonly uuid: string;
  readonly id: number;
  readonly state: number;
  readonly reason: number;
  readonly persistent: boolean;
  readonly autodestroy: boolean;
  readonly pid: number;
  readonly pidStartTicks: number;
  readonly startedAt: number;
  readonly domainDir: string;
  readonly monitorPath: string;
  readonly pidfile: string;
  readonly logPath: string;
  readonly taps: readonly TapRecord[];
  readonly cgroup?: CgroupRecord;
  readonly vcpuTids: readonly number[];
  readonly disks: readonly StatsDisk[];
  readonly nics: readonly LaunchedNic[];
  readonly balloon?: { readonly id: string; readonly qomPath: string };
  readonly flags: {
    readonly gotShutdown: boolean;
    readonly beingDestroyed: boolean;
    readonly fakeReboot: boolean;
    readonly pausedShutdown: boolean;
  };
  readonly asyncJob?: AsyncJob;
  /** Live domain XML with id and aliases. */
  readonly xml: string;
}

/** Builds the status of a run. */
export function statusOf(
  obj: { name: string; uuid: string; id: number; state: number; reason: number; persistent: boolean },
  run: QemuRun, autodestroy: boolean, xml: string,
): DomainStatus {
  return {
    version: 1, name: obj.name, uuid: obj.uuid, id: obj.id, state: obj.state, reason: obj.reason,
    persistent: obj.persistent, autodestroy,
    pid: run.pid, pidStartTicks: run.pidStartTicks, startedAt: run.startedAt,
    domainDir: run.domainDir, monitorPath: run.monitorPath, pidfile: run.pidfile, logPath: run.logPath,
    taps: run.taps, ...(run.cgroup === undefined ? {} : { cgroup: run.cgroup }), vcpuTids: run.vcpuTids,
    disks: run.disks, nics: run.nics, ...(run.balloon === undefined ? {} : { balloon: run.balloon }),
    flags: { gotShutdown: run.gotShutdown, beingDestroyed: run.beingDestroyed, fakeReboot: run.fakeReboot, pausedShutdown: run.pausedShutdown },
    ...(run.asyncJob === undefined ? {} : { asyncJob: run.asyncJob }),
    xml,
  };
}

/** Writes a status file atomically. */
export async function writeStatus(path: string, status: DomainStatus): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(status, null, 1)}\n`);
}

/** Removes a status file. */
export async function removeStatus(path: string): Promise<void> {
  await removeFile(path);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Parses a status file; throws naming what is wrong. */
export function parseStatus(text: string, file: string): DomainStatus {
  const s = JSON.parse(text) as Partial<DomainStatus>;
  const problems: string[] = [];
  if (s.version !== 1) problems.push('version');
  if (typeof s.name !== 'string' || typeof s.uuid !== 'string') problems.push('name/uuid');
  for (const k of ['id', 'state', 'reason', 'pid', 'pidStartTicks', 'startedAt'] as const) if (!isInt(s[k])) problems.push(k);
  for (const k of ['monitorPath', 'domainDir', 'pidfile', 'logPath', 'xml'] as const) if (typeof s[k] !== 'string') problems.push(k);
  if (!Array.isArray(s.taps) || !Array.isArray(s.vcpuTids) || !Array.isArray(s.disks) || !Array.isArray(s.nics)) problems.push('lists');
  if (typeof s.flags !== 'object' || s.flags === null) problems.push('flags');
  if (problems.length > 0) throw new Error(`status file ${file} is invalid (${problems.join(', ')})`);
  return s as DomainStatus;
}

/** Every status file in the run directory: parsed ones and the errors of the others. */
export async function loadStatusFiles(runDir: string): Promise<{ statuses: { file: string; status: DomainStatus }[]; errors: { file: string; error: unknown }[] }> {
  const statuses: { file: string; status: DomainStatus }[] = [];
  const errors: { file: string; error: unknown }[] = [];
  let names: string[];
  try {
    names = await readdir(runDir);
  } catch {
    return { statuses, errors };
  }
  for (const name of names.sort()) {
    if (!name.endsWith(STATUS_SUFFIX)) continue;
    const file = join(runDir, name);
    try {
      statuses.push({ file, status: parseStatus(await readFile(file, 'utf8'), file) });
    } catch (error) {
      errors.push({ file, error });
    }
  }
  return { statuses, errors };
}
