/**
 * Host-side memory and cgroup extras of a domain: `balloon.rss` (QEMU's resident set from
 * `/proc/PID/stat`, KiB) and virtmon's cgroup fields `virtmon.cgroup.memory.current` (bytes charged to
 * the domain group: v2 `memory.current`, v1 `memory.usage_in_bytes`) and `virtmon.cgroup.cpu.throttled`
 * (ns throttled by CFS bandwidth: v2 `cpu.stat throttled_usec`, v1 `cpu.stat throttled_time`).
 */
import type { SampleFields } from '../../domain/sample.ts';
import type { StatsTarget } from '../../domain/stats-target.ts';
import { readMemoryUsage, readUnifiedCpuStat, readV1CpuStat } from './cgroup.ts';
import type { SourceContext } from './context.ts';
import { readProcStat, readStatmResidentPages } from './proc.ts';

/**
 * QEMU's RSS in KiB (rss pages × page size ÷ 1024); undefined without a pid or when it is gone. From
 * `/proc/PID/statm` (same counter as libvirt's `/proc/PID/stat` field 24, without the thread walk the
 * kernel does for stat: ~3× cheaper), falling back to stat where statm is missing (fixture trees).
 */
export function readRssKiB(ctx: SourceContext, target: Pick<StatsTarget, 'ref' | 'pid'>): bigint | undefined {
  if (target.pid === undefined) return undefined;
  const pages = readStatmResidentPages(ctx, target.ref.uuid, target.pid) ?? readProcStat(ctx, target.ref.uuid, target.pid)?.rss;
  return pages === undefined ? undefined : (pages * BigInt(ctx.host.pageSize)) / 1024n;
}

/**
 * Writes `virtmon.cgroup.memory.current` and `virtmon.cgroup.cpu.throttled` when the cgroup has them.
 * `memo` (the collector's per-domain memo) remembers that the throttling comes from v1, so a hybrid
 * host does not read the unified `cpu.stat` a second time per cycle only to find no throttled_usec.
 */
export function fillCgroupExtras(ctx: SourceContext, target: Pick<StatsTarget, 'ref' | 'cgroup'>, into: SampleFields, memo?: Map<string, unknown>): void {
  const owner = target.ref.uuid;
  const memory = readMemoryUsage(ctx, owner, target.cgroup);
  if (memory !== undefined) into.set('virtmon.cgroup.memory.current', memory);
  // v2 prints throttled_usec only with the cpu controller enabled; hybrid hosts keep cpu on v1.
  const v2 = memo?.get('throttled') === 'v1' ? undefined : readUnifiedCpuStat(ctx, owner, target.cgroup)?.throttledUsec;
  if (v2 !== undefined) {
    into.set('virtmon.cgroup.cpu.throttled', v2 * 1000n);
    return;
  }
  const v1 = readV1CpuStat(ctx, owner, target.cgroup)?.throttledTimeNs;
  if (v1 === undefined) return;
  memo?.set('throttled', 'v1');
  into.set('virtmon.cgroup.cpu.throttled', v1);
}
