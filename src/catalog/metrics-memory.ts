/**
 * metrics.md §3 memory stats (`balloon.*`). Guest values need a balloon driver in the guest and a stats
 * period > 0; a field the guest did not report is absent and so is its series (never a zero). Swap and
 * hugetlb counters keep inovex's gauge type for parity (D9).
 */
import { collectd, otel, row } from './row.ts';
import type { MetricDef } from './types.ts';

const SIC = 'gauge kept for inovex parity (D9); the value is cumulative, rate() works';

/** Memory metrics of the core set. */
export const MEMORY_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_domain_memory_stats_current_balloon_bytes', type: 'gauge', unit: 'B', source: 'balloon.current',
    conversion: 'KiB→B', feed: 'memory', group: 'core',
    help: 'Current balloon size in bytes: the memory the domain has now. Source: balloon.current (KiB, QMP query-balloon).',
    otel: otel('libvirt.domain.memory.balloon', 'UpDownCounter', 'By'),
    collectd: collectd('memory', 'actual_balloon', 'value', 'KiB→B'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_maximum_bytes', type: 'gauge', unit: 'B', source: 'balloon.maximum',
    conversion: 'KiB→B', feed: 'memory', group: 'core',
    help: 'Maximum memory of the domain in bytes (the defined <memory>). Source: balloon.maximum (KiB).',
    otel: otel('libvirt.domain.memory.limit', 'UpDownCounter', 'By'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_swap_in_bytes', type: 'gauge', unit: 'B', source: 'balloon.swap_in',
    conversion: 'KiB→B', feed: 'memory', group: 'core', note: SIC,
    help: 'Total data the guest read from its swap space in bytes (cumulative). Source: balloon.swap_in (KiB, guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.swap.io', 'Counter', 'By', { attributes: { 'system.paging.direction': 'in' } }),
    collectd: collectd('swap_io', 'in', 'value', 'KiB→B'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_swap_out_bytes', type: 'gauge', unit: 'B', source: 'balloon.swap_out',
    conversion: 'KiB→B', feed: 'memory', group: 'core', note: SIC,
    help: 'Total data the guest wrote to its swap space in bytes (cumulative). Source: balloon.swap_out (KiB, guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.swap.io', 'Counter', 'By', { attributes: { 'system.paging.direction': 'out' } }),
    collectd: collectd('swap_io', 'out', 'value', 'KiB→B'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_major_fault_total', type: 'counter', unit: '1', source: 'balloon.major_fault',
    conversion: 'id', feed: 'memory', group: 'core',
    help: 'Page faults in the guest that needed disk I/O. Source: balloon.major_fault (guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.page_faults', 'Counter', '{fault}', { attributes: { 'system.paging.fault.type': 'major' } }),
    collectd: collectd('ps_pagefaults', '', 'majflt'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_minor_fault_total', type: 'counter', unit: '1', source: 'balloon.minor_fault',
    conversion: 'id', feed: 'memory', group: 'core',
    help: 'Page faults in the guest served without disk I/O. Source: balloon.minor_fault (guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.page_faults', 'Counter', '{fault}', { attributes: { 'system.paging.fault.type': 'minor' } }),
    collectd: collectd('ps_pagefaults', '', 'minflt'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_unused_bytes', type: 'gauge', unit: 'B', source: 'balloon.unused',
    conversion: 'KiB→B', feed: 'memory', group: 'core',
    help: 'Memory the guest leaves completely unused (MemFree) in bytes. Source: balloon.unused (KiB, guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.unused', 'UpDownCounter', 'By'),
    collectd: collectd('memory', 'unused', 'value', 'KiB→B'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_available_bytes', type: 'gauge', unit: 'B', source: 'balloon.available',
    conversion: 'KiB→B', feed: 'memory', group: 'core',
    help: 'Total memory the guest sees (MemTotal) in bytes. Source: balloon.available (KiB, guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.total', 'UpDownCounter', 'By'),
    collectd: collectd('memory', 'available', 'value', 'KiB→B'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_usable_bytes', type: 'gauge', unit: 'B', source: 'balloon.usable',
    conversion: 'KiB→B', feed: 'memory', group: 'core',
    help: 'Memory the guest can still use without swapping (MemAvailable) in bytes. Source: balloon.usable (KiB, guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.available', 'UpDownCounter', 'By'),
    collectd: collectd('memory', 'usable', 'value', 'KiB→B'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_disk_caches_bytes', type: 'gauge', unit: 'B', source: 'balloon.disk_caches',
    conversion: 'KiB→B', feed: 'memory', group: 'core',
    help: 'Guest memory used for file caches that can be reclaimed in bytes. Source: balloon.disk_caches (KiB, guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.disk_caches', 'UpDownCounter', 'By'),
    collectd: collectd('memory', 'disk_caches', 'value', 'KiB→B'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_rss_bytes', type: 'gauge', unit: 'B', source: 'balloon.rss',
    conversion: 'KiB→B', feed: 'memory', group: 'core',
    help: 'Resident set size of the QEMU process on the host in bytes. Source: balloon.rss (KiB, /proc/<pid>/stat).',
    otel: otel('libvirt.domain.memory.rss', 'UpDownCounter', 'By'),
    collectd: collectd('memory', 'rss', 'value', 'KiB→B'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_hugetlb_pgalloc_total', type: 'gauge', unit: '1', source: 'balloon.hugetlb_pgalloc',
    conversion: 'id', feed: 'memory', group: 'core', note: SIC,
    help: 'Successful huge page allocations in the guest (cumulative count). Source: balloon.hugetlb_pgalloc (guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.hugetlb.allocations', 'Counter', '{allocation}'),
    collectd: collectd('memory', 'hugetlb_pgalloc', 'value'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_hugetlb_pgfail_total', type: 'gauge', unit: '1', source: 'balloon.hugetlb_pgfail',
    conversion: 'id', feed: 'memory', group: 'core', note: SIC,
    help: 'Failed huge page allocations in the guest (cumulative count). Source: balloon.hugetlb_pgfail (guest balloon stats).',
    otel: otel('libvirt.domain.memory.guest.hugetlb.failures', 'Counter', '{failure}'),
    collectd: collectd('memory', 'hugetlb_pgfail', 'value'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_last_update_timestamp_seconds', type: 'gauge', unit: 'unix s', source: 'balloon.last-update',
    conversion: 'id', feed: 'memory', group: 'core',
    help: 'Unix time in seconds when the guest last updated its balloon statistics. Source: balloon.last-update.',
    otel: otel('libvirt.domain.memory.guest.last_update', 'Gauge', 's'),
  }),
  row({
    name: 'libvirt_domain_memory_stats_used_percent', type: 'gauge', unit: '%', source: '(available − usable) / available × 100',
    sourceKind: 'derived', conversion: 'none', feed: 'memory', group: 'core',
    note: 'only when balloon.available and balloon.usable are both present and available > 0 (inovex: NaN)',
    help: 'Guest memory in use as a percentage: (balloon.available - balloon.usable) / balloon.available * 100. Absent unless the guest reports both and available > 0.',
    otel: otel('libvirt.domain.memory.guest.utilization', 'Gauge', '1', { scale: 0.01 }),
  }),
];
