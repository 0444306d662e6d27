/**
 * virtmon's cgroup fields: `virtmon.cgroup.memory.current` (bytes charged to the domain group) and
 * `virtmon.cgroup.cpu.throttled` (ns throttled by CFS bandwidth), from the same cgroup files libvirt
 * manages (sources/memory.ts). The test driver has no cgroups, so synthetic targets get none.
 */
import { isSampled, readFiles } from './active.ts';
import { fillCgroupExtras } from './sources/memory.ts';
import type { Collector } from './types.ts';

/** virtmon.cgroup.memory.current, virtmon.cgroup.cpu.throttled. */
export const cgroupCollector = {
  name: 'cgroup',
  group: 'virtmon',
  defaultEnabled: true,
  usesQmp: false,
  collect(target, ctx) {
    if (!isSampled(target) || target.synthetic !== undefined) return;
    readFiles(ctx, () => { fillCgroupExtras(ctx.sources, target, ctx.sample, ctx.memo); });
  },
} as const satisfies Collector;
