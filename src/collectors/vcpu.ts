/**
 * The `vcpu` group: `vcpu.current`/`maximum` from the definition, then per vCPU thread state, time,
 * wait, delay (and virtmon's `cpu`) from `/proc/PID/task/TID/{stat,sched,schedstat}` (sources/vcpu.ts).
 * The thread ids come from the driver (query-cpus-fast at start), so no QMP call per cycle.
 */
import { isSampled, readFiles } from './active.ts';
import { fillVcpu } from './sources/vcpu.ts';
import type { Collector } from './types.ts';

/** vcpu.current, vcpu.maximum, vcpu.N.{state,time,wait,delay,cpu}. */
export const vcpuCollector = {
  name: 'vcpu',
  group: 'vcpu',
  defaultEnabled: true,
  usesQmp: false,
  collect(target, ctx) {
    if (!isSampled(target)) return;
    if (target.synthetic !== undefined) {
      target.synthetic.fill('vcpu', ctx.sample);
      return;
    }
    readFiles(ctx, () => { fillVcpu(ctx.sources, target, ctx.sample); });
  },
} as const satisfies Collector;
