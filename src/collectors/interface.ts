/**
 * The `interface` group: `net.count`, and per NIC with a host device its name and the eight counters of
 * its `/proc/net/dev` line in the guest's view (sources/interface.ts). The table is read once per cycle
 * for all domains (`ctx.netDev`).
 */
import { isSampled } from './active.ts';
import { fillInterface } from './sources/interface.ts';
import type { Collector } from './types.ts';

/** net.count, net.N.{name,rx.*,tx.*}. */
export const interfaceCollector = {
  name: 'interface',
  group: 'interface',
  defaultEnabled: true,
  usesQmp: false,
  collect(target, ctx) {
    if (!isSampled(target)) return;
    if (target.synthetic !== undefined) {
      target.synthetic.fill('interface', ctx.sample);
      return;
    }
    const table = target.nics.some((n) => n.hostDev !== undefined) ? ctx.netDev() : undefined;
    if (table === undefined && target.nics.some((n) => n.hostDev !== undefined)) {
      ctx.fail('file', new Error(`cannot read ${ctx.sources.paths.proc}/net/dev`), { partial: true });
    }
    fillInterface(target, table, ctx.sample);
  },
} as const satisfies Collector;
