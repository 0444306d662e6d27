/**
 * The `interface` group (qemuDomainGetStatsInterface): `net.count` (every `<interface>`), then for each
 * NIC with a host-side device `net.N.name` and the eight counters of its `/proc/net/dev` line seen from
 * the guest: for a tap the host's transmit is the guest's receive, so rx and tx are swapped; macvtap
 * (`type='direct'`) shares the host's view and is not. A NIC without a host device (`-netdev user`)
 * has no fields; a device missing from /proc/net/dev keeps its name and loses its counters.
 *
 * /proc/net/dev holds every interface, so it is read once per cycle for all domains:
 * {@link sharedNetDev} gives a lazy reader the cycle passes to each domain's collect.
 */
import type { SampleFields } from '../../domain/sample.ts';
import type { StatsTarget } from '../../domain/stats-target.ts';
import type { NetDevDirection, NetDevTable } from '../parse/net-dev.ts';
import { parseNetDev } from '../parse/net-dev.ts';
import type { SourceContext } from './context.ts';

/** Owner of host-wide kept fds (not tied to a domain). */
export const HOST_OWNER = '';

/** Reads and parses `<proc>/net/dev` now; undefined when it cannot be read. */
export function readNetDev(ctx: SourceContext): NetDevTable | undefined {
  const text = ctx.files.read(`${ctx.paths.proc}/net/dev`, HOST_OWNER);
  return text === undefined ? undefined : parseNetDev(text);
}

/** A reader that parses /proc/net/dev on its first call and returns that table afterwards (one per cycle). */
export function sharedNetDev(ctx: SourceContext): () => NetDevTable | undefined {
  let table: NetDevTable | undefined;
  let done = false;
  return () => {
    if (!done) {
      table = readNetDev(ctx);
      done = true;
    }
    return table;
  };
}

/** Writes the interface group from an already-read table (undefined: names only). */
export function fillInterface(target: Pick<StatsTarget, 'nics'>, table: NetDevTable | undefined, into: SampleFields): void {
  into.set('net.count', target.nics.length);
  for (const nic of target.nics) {
    if (nic.hostDev === undefined) continue;
    const p = `net.${nic.index}.`;
    into.set(`${p}name`, nic.hostDev);
    const host = table?.get(nic.hostDev);
    if (host === undefined) continue;
    const [rx, tx] = nic.swapRxTx ? [host.tx, host.rx] : [host.rx, host.tx];
    put(into, `${p}rx.`, rx);
    put(into, `${p}tx.`, tx);
  }
}

function put(into: SampleFields, prefix: string, d: NetDevDirection): void {
  into.set(`${prefix}bytes`, d.bytes);
  into.set(`${prefix}pkts`, d.packets);
  into.set(`${prefix}errs`, d.errs);
  into.set(`${prefix}drop`, d.drop);
}
