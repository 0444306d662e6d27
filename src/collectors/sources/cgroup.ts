/**
 * A domain's cgroup files: where they are (from the driver's {@link CgroupPlacement} and the detected
 * layout) and the parsed readers the collectors use. Reads go through the kept-fd reader; a removed
 * group reads as undefined.
 */
import type { CgroupPlacement } from '../../domain/stats-target.ts';
import type { CpuStat, CpuacctStat } from '../parse/cgroup-cpu.ts';
import { parseCpuStat, parseCpuacctStat, parseCpuacctUsage } from '../parse/cgroup-cpu.ts';
import { parseMemoryStat, parseMemoryUsage } from '../parse/cgroup-memory.ts';
import { placementFromProcCgroup } from '../parse/proc-cgroup.ts';
import type { SourceContext } from './context.ts';
import { readProcCgroupText } from './proc.ts';
import { groupFile } from './roots.ts';

/** A v1 controller a placement can name. */
export type V1Controller = keyof NonNullable<CgroupPlacement['v1']>;

/** Absolute path of a file in the domain's unified group, if the layout and placement have one. */
export function unifiedFile(ctx: SourceContext, placement: CgroupPlacement | undefined, file: string): string | undefined {
  return groupFile(ctx.cgroups.unified, placement?.unified, file);
}

/** Absolute path of a file in the domain's v1 group of a controller. */
export function v1File(ctx: SourceContext, placement: CgroupPlacement | undefined, controller: V1Controller, file: string): string | undefined {
  const root = ctx.cgroups.v1 === undefined ? undefined : `${ctx.cgroups.v1}/${controller}`;
  return groupFile(root, placement?.v1?.[controller], file);
}

const readWith = <T>(ctx: SourceContext, owner: string, path: string | undefined, parse: (text: string) => T): T | undefined => {
  if (path === undefined) return undefined;
  const text = ctx.files.read(path, owner);
  return text === undefined ? undefined : parse(text);
};

/** The unified group's `cpu.stat`. */
export function readUnifiedCpuStat(ctx: SourceContext, owner: string, placement: CgroupPlacement | undefined): CpuStat | undefined {
  return readWith(ctx, owner, unifiedFile(ctx, placement, 'cpu.stat'), parseCpuStat);
}

/** The v1 cpu controller group's `cpu.stat`. */
export function readV1CpuStat(ctx: SourceContext, owner: string, placement: CgroupPlacement | undefined): CpuStat | undefined {
  return readWith(ctx, owner, v1File(ctx, placement, 'cpu', 'cpu.stat'), parseCpuStat);
}

/** v1 `cpuacct.usage` (ns) and `cpuacct.stat` (ticks). */
export function readCpuacct(ctx: SourceContext, owner: string, placement: CgroupPlacement | undefined): { usageNs?: bigint; stat?: CpuacctStat } | undefined {
  const usageNs = readWith(ctx, owner, v1File(ctx, placement, 'cpuacct', 'cpuacct.usage'), parseCpuacctUsage);
  if (usageNs === undefined) return undefined;
  const stat = readWith(ctx, owner, v1File(ctx, placement, 'cpuacct', 'cpuacct.stat'), parseCpuacctStat);
  return stat === undefined ? { usageNs } : { usageNs, stat };
}

/** Memory charged to the group, bytes: v2 `memory.current`, else v1 `memory.usage_in_bytes`. */
export function readMemoryUsage(ctx: SourceContext, owner: string, placement: CgroupPlacement | undefined): bigint | undefined {
  return readWith(ctx, owner, unifiedFile(ctx, placement, 'memory.current'), parseMemoryUsage)
    ?? readWith(ctx, owner, v1File(ctx, placement, 'memory', 'memory.usage_in_bytes'), parseMemoryUsage);
}

/** `memory.stat` of the group: v2 when the unified group has one, else v1. */
export function readMemoryStat(ctx: SourceContext, owner: string, placement: CgroupPlacement | undefined): Map<string, bigint> | undefined {
  return readWith(ctx, owner, unifiedFile(ctx, placement, 'memory.stat'), parseMemoryStat)
    ?? readWith(ctx, owner, v1File(ctx, placement, 'memory', 'memory.stat'), parseMemoryStat);
}

/**
 * The placement of a running QEMU from its `/proc/PID/cgroup`, for a driver that did not record one.
 * Only for processes libvirt-style placed in `…/emulator`; see placementFromProcCgroup.
 */
export function resolvePlacement(ctx: SourceContext, pid: number): CgroupPlacement | undefined {
  const text = readProcCgroupText(ctx, pid);
  return text === undefined ? undefined : placementFromProcCgroup(text);
}
