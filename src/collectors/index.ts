/**
 * Every collector, in libvirt's bulk-stats group order (state, cpu-total, balloon, vcpu, interface,
 * block), then virtmon's own fields. The runner merges their fields in this order, so a sample prints
 * in `virsh domstats` order. An explicit list: no registration by import side effect.
 */
import { blockCollector } from './block.ts';
import { cgroupCollector } from './cgroup.ts';
import { cpuCollector } from './cpu.ts';
import { interfaceCollector } from './interface.ts';
import { memoryCollector } from './memory.ts';
import { stateCollector } from './state.ts';
import type { Collector } from './types.ts';
import { vcpuCollector } from './vcpu.ts';

/** The collectors, in merge order. */
export const COLLECTORS = [
  stateCollector,
  cpuCollector,
  memoryCollector,
  vcpuCollector,
  interfaceCollector,
  blockCollector,
  cgroupCollector,
] as const satisfies readonly Collector[];

/** A collector's name. */
export type CollectorName = (typeof COLLECTORS)[number]['name'];

/** Per-collector switches (config `collectors.<name>.enabled`; absent = the descriptor's default). */
export type CollectorSwitches = Readonly<Partial<Record<string, { readonly enabled?: boolean }>>>;

/** The enabled collectors, in merge order. */
export function enabledCollectors(switches: CollectorSwitches = {}): Collector[] {
  return COLLECTORS.filter((c) => switches[c.name]?.enabled ?? c.defaultEnabled);
}

/** Collectors that fill the given bulk-stats groups (`virtmon domstats --GROUP`); virtmon's own fields
 * (`virtmon.cgroup.*`) only when no group was picked (`all`), as they belong to no libvirt group. */
export function collectorsForGroups(groups: readonly string[], all: boolean): Collector[] {
  return COLLECTORS.filter((c) => (c.group === 'virtmon' ? all : groups.includes(c.group)));
}
