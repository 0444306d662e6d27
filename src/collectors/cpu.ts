/**
 * The `cpu-total` group: `cpu.time`, `cpu.user`, `cpu.system` (ns) of all QEMU threads from the domain's
 * cgroup (v2 `cpu.stat`, v1 `cpuacct`), falling back to `/proc/PID/stat` (sources/cpu-total.ts).
 */
import { isSampled, readFiles } from './active.ts';
import { fillCpuTotal } from './sources/cpu-total.ts';
import type { Collector } from './types.ts';

/** cpu.time, cpu.user, cpu.system. */
export const cpuCollector = {
  name: 'cpu',
  group: 'cpu-total',
  defaultEnabled: true,
  usesQmp: false,
  collect(target, ctx) {
    if (!isSampled(target)) return;
    if (target.synthetic !== undefined) {
      target.synthetic.fill('cpu-total', ctx.sample);
      return;
    }
    readFiles(ctx, () => { fillCpuTotal(ctx.sources, target, ctx.sample); });
  },
} as const satisfies Collector;
