/**
 * The `vcpu` group (qemuDomainGetStatsVcpu): `vcpu.current` and `vcpu.maximum` from the definition,
 * then per vCPU thread `state` (1, running: libvirt reports every online vCPU so), `time` (utime+stime
 * of the thread, ns at clock-tick granularity), `wait` (schedstats `wait_sum`, ns; absent when the
 * kernel keeps no schedstats), `delay` (run-queue wait from `schedstat`, ns) and virtmon's `cpu` (the
 * host CPU the thread last ran on). A thread that is gone contributes no fields.
 */
import type { DomainDef } from '../../domain/def.ts';
import type { SampleFields } from '../../domain/sample.ts';
import type { StatsTarget } from '../../domain/stats-target.ts';
import type { SourceContext } from './context.ts';
import { ticksToNs } from './host.ts';
import { readTaskSchedstat, readTaskStat, readTaskWaitSumNs } from './proc.ts';

/** What the vcpu source needs of a target. */
export type VcpuTarget = Pick<StatsTarget, 'ref' | 'pid' | 'vcpuTids'> & { readonly def: Pick<DomainDef, 'vcpu'> };

/** Writes the vcpu group. */
export function fillVcpu(ctx: SourceContext, target: VcpuTarget, into: SampleFields): void {
  into.set('vcpu.current', target.def.vcpu.current);
  into.set('vcpu.maximum', target.def.vcpu.max);
  const { pid, vcpuTids } = target;
  if (pid === undefined || vcpuTids === undefined) return;
  const owner = target.ref.uuid;
  vcpuTids.forEach((tid, index) => {
    const stat = readTaskStat(ctx, owner, pid, tid);
    if (stat === undefined) return;
    const p = `vcpu.${index}.`;
    into.set(`${p}state`, 1);
    into.set(`${p}time`, ticksToNs(stat.utime + stat.stime, ctx.host));
    const wait = readTaskWaitSumNs(ctx, owner, pid, tid);
    if (wait !== undefined) into.set(`${p}wait`, wait);
    const sched = readTaskSchedstat(ctx, owner, pid, tid);
    if (sched !== undefined) into.set(`${p}delay`, sched.waitNs);
    if (stat.processor !== undefined) into.set(`${p}cpu`, stat.processor);
  });
}
