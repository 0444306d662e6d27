/**
 * The metric catalog: every metric virtmon exports, as data (metrics.md; DESIGN.md "Metric catalog").
 * The order of {@link CATALOG} is the exposition order. Tables live in the `metrics-*.ts` files by group;
 * this module assembles them and holds the collectd type table the collectd-style writer needs.
 */
import { COMPAT_METRICS } from './metrics-compat.ts';
import { CORE_DOMAIN_METRICS, CORE_VCPU_METRICS } from './metrics-core.ts';
import { BLOCK_METRICS, INTERFACE_METRICS } from './metrics-devices.ts';
import { EXTENSION_METRICS } from './metrics-extensions.ts';
import { INFO_METRICS } from './metrics-info.ts';
import { JOB_METRICS, POOL_METRICS } from './metrics-jobs-pools.ts';
import { MEMORY_METRICS } from './metrics-memory.ts';
import { SELF_METRICS } from './metrics-self.ts';
import type { CollectdDsType, MetricDef } from './types.ts';

export { METADATA_INFO } from './metrics-info.ts';
export { DURATION_BUCKETS } from './metrics-self.ts';

/** Every catalog row in exposition order. */
export const CATALOG: readonly MetricDef[] = Object.freeze([
  ...CORE_DOMAIN_METRICS,
  ...BLOCK_METRICS,
  ...INTERFACE_METRICS,
  ...MEMORY_METRICS,
  ...CORE_VCPU_METRICS,
  ...INFO_METRICS,
  ...POOL_METRICS,
  ...JOB_METRICS,
  ...EXTENSION_METRICS,
  ...SELF_METRICS,
  ...COMPAT_METRICS,
]);

/** Catalog rows by Prometheus name. */
export const METRICS_BY_NAME: ReadonlyMap<string, MetricDef> = new Map(CATALOG.map((m) => [m.name, m]));

/** The catalog row for a name; throws a TypeError for an unknown name (a programming error). */
export function metric(name: string): MetricDef {
  const m = METRICS_BY_NAME.get(name);
  if (m === undefined) throw new TypeError(`unknown metric ${name}`);
  return m;
}

/**
 * Data sources of the collectd types the virt-style output uses, in types.db order
 * (collectd/collectd `src/types.db`). A value list carries its values in this order.
 */
export const COLLECTD_TYPES: Readonly<Record<string, readonly (readonly [string, CollectdDsType])[]>> = {
  virt_cpu_total: [['value', 'DERIVE']],
  virt_vcpu: [['value', 'DERIVE']],
  percent: [['value', 'GAUGE']],
  memory: [['value', 'GAUGE']],
  swap_io: [['value', 'DERIVE']],
  ps_pagefaults: [['minflt', 'DERIVE'], ['majflt', 'DERIVE']],
  ps_cputime: [['user', 'DERIVE'], ['syst', 'DERIVE']],
  disk_ops: [['read', 'DERIVE'], ['write', 'DERIVE']],
  disk_octets: [['read', 'DERIVE'], ['write', 'DERIVE']],
  disk_time: [['read', 'DERIVE'], ['write', 'DERIVE']],
  total_requests: [['value', 'DERIVE']],
  total_time_in_ms: [['value', 'DERIVE']],
  disk_allocation: [['value', 'GAUGE']],
  disk_capacity: [['value', 'GAUGE']],
  disk_physical: [['value', 'GAUGE']],
  if_octets: [['rx', 'DERIVE'], ['tx', 'DERIVE']],
  if_packets: [['rx', 'DERIVE'], ['tx', 'DERIVE']],
  if_errors: [['rx', 'DERIVE'], ['tx', 'DERIVE']],
  if_dropped: [['rx', 'DERIVE'], ['tx', 'DERIVE']],
  domain_state: [['state', 'GAUGE'], ['reason', 'GAUGE']],
  job_stats: [['value', 'DERIVE']],
};

/** collectd values that are not one field but computed by the writer (metrics.md §12). */
export const COLLECTD_DERIVED: readonly {
  readonly type: string; readonly typeInstance: string; readonly ds: string; readonly source: string; readonly value: string;
}[] = [
  {
    type: 'percent', typeInstance: 'virt_cpu_total', ds: 'value', source: 'Δcpu.time',
    value: '100·Δns / (measured Δt · host CPUs · 1e9); collectd divides by the configured interval',
  },
];
