/**
 * The `cpu-total` group: `cpu.time`, `cpu.user`, `cpu.system` in ns for all of QEMU's threads, from
 * the domain's cgroup as libvirt reads it (qemuDomainGetStatsCpuCgroup): the unified group's `cpu.stat`
 * when there is one (libvirt's v2 backend claims cpuacct because `cpu.stat` exists in every v2 group,
 * so hybrid hosts read v2 too), else v1 `cpuacct.usage` and `cpuacct.stat`. Without a cgroup it falls
 * back to `/proc/PID/stat` utime+stime (qemuDomainGetStatsCpuProc), at clock-tick granularity; so does a
 * placement without a CPU hierarchy (libvirt would report nothing then).
 */
import type { SampleFields } from '../../domain/sample.ts';
import type { StatsTarget } from '../../domain/stats-target.ts';
import { readCpuacct, readUnifiedCpuStat, unifiedFile, v1File } from './cgroup.ts';
import type { SourceContext } from './context.ts';
import { ticksToNs } from './host.ts';
import { readProcStat } from './proc.ts';

/** What the cpu-total source needs of a target. */
export type CpuTarget = Pick<StatsTarget, 'ref' | 'pid' | 'cgroup'>;

/** Writes `cpu.time`, `cpu.user`, `cpu.system` (each only when its source reported it). */
export function fillCpuTotal(ctx: SourceContext, target: CpuTarget, into: SampleFields): void {
  const owner = target.ref.uuid;
  const v2 = readUnifiedCpuStat(ctx, owner, target.cgroup);
  if (v2?.usageUsec !== undefined) {
    into.set('cpu.time', v2.usageUsec * 1000n);
    if (v2.userUsec !== undefined) into.set('cpu.user', v2.userUsec * 1000n);
    if (v2.systemUsec !== undefined) into.set('cpu.system', v2.systemUsec * 1000n);
    return;
  }
  const v1 = readCpuacct(ctx, owner, target.cgroup);
  if (v1?.usageNs !== undefined) {
    into.set('cpu.time', v1.usageNs);
    if (v1.stat?.user !== undefined) into.set('cpu.user', ticksToNs(v1.stat.user, ctx.host));
    if (v1.stat?.system !== undefined) into.set('cpu.system', ticksToNs(v1.stat.system, ctx.host));
    return;
  }
  if (unifiedFile(ctx, target.cgroup, 'cpu.stat') !== undefined || v1File(ctx, target.cgroup, 'cpuacct', 'cpuacct.usage') !== undefined) {
    // The domain has a CPU cgroup but it did not answer: it is gone (the domain stopped).
    return;
  }
  if (target.pid === undefined) return;
  const stat = readProcStat(ctx, owner, target.pid);
  if (stat === undefined) return;
  into.set('cpu.time', ticksToNs(stat.utime + stat.stime, ctx.host));
  into.set('cpu.user', ticksToNs(stat.utime, ctx.host));
  into.set('cpu.system', ticksToNs(stat.stime, ctx.host));
}
