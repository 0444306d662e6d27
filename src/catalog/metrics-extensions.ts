/**
 * metrics.md §5, our additions in inovex's style (block allocation/physical live with the block rows,
 * `_metadata_info` with the info rows): state reason, CPU user/system split, cgroup values, and the two
 * per-domain agent flags that make staleness visible (D4, D11).
 */
import { collectd, otel, row } from './row.ts';
import type { MetricDef } from './types.ts';

/** Extension metrics of the domain scope. */
export const EXTENSION_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_domain_info_state_reason', type: 'gauge', unit: 'code', source: 'state.reason', conversion: 'code',
    feed: 'state', group: 'extension', domains: 'all',
    help: 'Reason code of the current domain state (per-state enum, e.g. virDomainPausedReason 5 = I/O error). Source: state.reason.',
    otel: otel('libvirt.domain.state_reason', 'Gauge', '1'),
    collectd: collectd('domain_state', '', 'reason'),
  }),
  row({
    name: 'libvirt_domain_info_cpu_user_seconds_total', type: 'counter', unit: 's', source: 'cpu.user', conversion: 'ns→s',
    feed: 'cpu', group: 'extension',
    help: 'CPU time of the domain\'s QEMU threads in user mode in seconds. Source: cpu.user (ns, cgroup cpu.stat).',
    otel: otel('libvirt.domain.cpu.mode.time', 'Counter', 's', { attributes: { 'cpu.mode': 'user' } }),
    collectd: collectd('ps_cputime', '', 'user'),
  }),
  row({
    name: 'libvirt_domain_info_cpu_system_seconds_total', type: 'counter', unit: 's', source: 'cpu.system', conversion: 'ns→s',
    feed: 'cpu', group: 'extension',
    help: 'CPU time of the domain\'s QEMU threads in kernel mode in seconds. Source: cpu.system (ns, cgroup cpu.stat).',
    otel: otel('libvirt.domain.cpu.mode.time', 'Counter', 's', { attributes: { 'cpu.mode': 'system' } }),
    collectd: collectd('ps_cputime', '', 'syst'),
  }),
  row({
    name: 'libvirt_domain_cgroup_memory_usage_bytes', type: 'gauge', unit: 'B', source: 'virtmon.cgroup.memory.current',
    conversion: 'id', feed: 'cgroup', group: 'extension',
    help: 'Memory charged to the domain\'s cgroup in bytes, page cache included. Source: virtmon.cgroup.memory.current (cgroup v2 memory.current, v1 memory.usage_in_bytes).',
    otel: otel('libvirt.domain.cgroup.memory.usage', 'UpDownCounter', 'By'),
  }),
  row({
    name: 'libvirt_domain_cgroup_cpu_throttled_seconds_total', type: 'counter', unit: 's', source: 'virtmon.cgroup.cpu.throttled',
    conversion: 'ns→s', feed: 'cgroup', group: 'extension',
    help: 'Time the domain\'s cgroup was throttled by its CPU quota in seconds. Source: virtmon.cgroup.cpu.throttled (ns, cgroup cpu.stat throttled_usec).',
    otel: otel('libvirt.domain.cgroup.cpu.throttled_time', 'Counter', 's'),
  }),
  row({
    name: 'libvirt_domain_stats_cached', type: 'gauge', unit: '0/1', source: 'flags.cached', sourceKind: 'flag',
    conversion: 'id', feed: 'agent', group: 'extension',
    help: '1 when the domain\'s values come from its previous good sample because the last collection did not finish, else 0. Values older than 2 collection intervals are dropped.',
    otel: otel('virtmon.domain.stats.cached', 'Gauge', '1'),
  }),
  row({
    name: 'libvirt_domain_stats_last_success_timestamp_seconds', type: 'gauge', unit: 'unix s', source: 'flags.lastSuccess',
    sourceKind: 'flag', conversion: 'ms→s', feed: 'agent', group: 'extension',
    help: 'Unix time in seconds of the domain\'s last complete sample. Absent until the first one.',
    otel: otel('virtmon.domain.stats.last_success', 'Gauge', 's'),
  }),
];
