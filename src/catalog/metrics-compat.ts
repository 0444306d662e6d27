/**
 * metrics.md §7: opt-in compatibility aliases (D8), `metrics.compat: [tinkoff, kumina, inovex1]`. They
 * reuse the same sample values; labels follow our policy (no uuid/source labels on value series). A row in
 * several enabled sets is emitted once. Aliases apply to active domains only.
 */
import { row } from './row.ts';
import type { MetricDef } from './types.ts';

const T = ['tinkoff'] as const;
const K = ['kumina'] as const;

/** Compatibility alias rows. */
export const COMPAT_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_domain_info_vstate', type: 'gauge', unit: 'code', source: 'state.state', conversion: 'code',
    feed: 'state', group: 'compat', compat: T,
    help: 'Tinkoff alias of libvirt_domain_info_state: virDomainState code. Source: state.state.',
  }),
  row({
    name: 'libvirt_domain_info_meta', type: 'info', unit: '–', source: 'domain XML <metadata> nova:instance',
    sourceKind: 'definition', conversion: 'none', feed: 'definition', group: 'compat', compat: T, labels: 'custom',
    labelNames: ['domain', 'uuid', 'instance_name', 'flavor', 'user_name', 'user_uuid', 'project_name', 'project_uuid', 'root_type', 'root_uuid'],
    help: 'Tinkoff alias of libvirt_domain_openstack_info, value 1: UUID and Nova identity, root disk from nova:root type and uuid.',
  }),
  row({
    name: 'libvirt_domain_block_meta', type: 'info', unit: '–', source: 'domain XML <disk>', sourceKind: 'definition',
    conversion: 'none', feed: 'block', group: 'compat', compat: T, labels: 'custom',
    labelNames: ['domain', 'target_device', 'source_file', 'serial', 'bus', 'disk_type', 'driver_type', 'cache', 'discard'],
    help: 'Tinkoff alias of libvirt_domain_block_stats_info, value 1: block device facts from the <disk> element.',
  }),
  row({
    name: 'libvirt_domain_interface_meta', type: 'info', unit: '–', source: 'domain XML <interface>', sourceKind: 'definition',
    conversion: 'none', feed: 'interface', group: 'compat', compat: T, labels: 'custom',
    labelNames: ['domain', 'source_bridge', 'target_device', 'virtual_interface'],
    help: 'Tinkoff alias of libvirt_domain_interface_stats_info, value 1; virtual_interface from virtualport/parameters/@interfaceid.',
  }),
  row({
    name: 'libvirt_domain_memory_stats_actual_balloon_bytes', type: 'gauge', unit: 'B', source: 'balloon.current',
    conversion: 'KiB→B', feed: 'memory', group: 'compat', compat: ['tinkoff', 'inovex1'],
    help: 'Tinkoff and inovex 1.x alias of libvirt_domain_memory_stats_current_balloon_bytes: current balloon size in bytes. Source: balloon.current (KiB).',
  }),
  row({
    name: 'libvirt_domain_memory_stats_disk_cache_bytes', type: 'gauge', unit: 'B', source: 'balloon.disk_caches',
    conversion: 'KiB→B', feed: 'memory', group: 'compat', compat: T,
    help: 'Tinkoff alias of libvirt_domain_memory_stats_disk_caches_bytes: reclaimable guest file caches in bytes. Source: balloon.disk_caches (KiB).',
  }),
  row({
    name: 'libvirt_domain_block_stats_allocation', type: 'gauge', unit: 'B', source: 'block.N.allocation', conversion: 'id',
    feed: 'block', group: 'compat', compat: T, note: 'bytes without the _bytes suffix (Tinkoff)',
    help: 'Tinkoff alias of libvirt_domain_block_stats_allocation_bytes: highest written offset in bytes. Source: block.N.allocation.',
  }),
  row({
    name: 'libvirt_domain_block_stats_physicalsize_bytes', type: 'gauge', unit: 'B', source: 'block.N.physical', conversion: 'id',
    feed: 'block', group: 'compat', compat: T,
    help: 'Tinkoff alias of libvirt_domain_block_stats_physical_bytes: host storage used by the image in bytes. Source: block.N.physical.',
  }),
  row({
    name: 'libvirt_domain_vcpu_cpu', type: 'gauge', unit: 'CPU id', source: 'vcpu.N.cpu', conversion: 'id',
    feed: 'vcpu', group: 'compat', compat: T,
    help: 'Tinkoff alias: host CPU the vCPU thread last ran on. Source: vcpu.N.cpu (task stat processor field).',
  }),
  row({
    name: 'libvirt_pool_info_capacity_bytes', type: 'gauge', unit: 'B', source: 'pool.capacity', conversion: 'id',
    feed: 'storage_pool', group: 'compat', compat: T, labels: 'custom', labelNames: ['pool'],
    help: 'Tinkoff alias of libvirt_storage_pool_capacity_bytes: pool size in bytes. Source: pool.capacity.',
  }),
  row({
    name: 'libvirt_pool_info_allocation_bytes', type: 'gauge', unit: 'B', source: 'pool.allocation', conversion: 'id',
    feed: 'storage_pool', group: 'compat', compat: T, labels: 'custom', labelNames: ['pool'],
    help: 'Tinkoff alias of libvirt_storage_pool_allocation_bytes: bytes allocated in the pool. Source: pool.allocation.',
  }),
  row({
    name: 'libvirt_pool_info_available_bytes', type: 'gauge', unit: 'B', source: 'pool.available', conversion: 'id',
    feed: 'storage_pool', group: 'compat', compat: T, labels: 'custom', labelNames: ['pool'],
    help: 'Tinkoff alias of libvirt_storage_pool_available_bytes: free bytes in the pool. Source: pool.available.',
  }),
  row({
    name: 'libvirt_versions_info', type: 'info', unit: '–', source: 'QEMU version; virtmon version', sourceKind: 'agent',
    conversion: 'none', feed: 'agent', group: 'compat', compat: T, labels: 'custom',
    labelNames: ['hypervisor_running', 'libvirtd_running', 'libvirt_library'],
    help: 'Tinkoff alias, value 1: hypervisor_running is the QEMU version; libvirtd_running and libvirt_library carry the virtmon version.',
  }),
  row({
    name: 'libvirt_domains_number', type: 'gauge', unit: 'count', source: 'domain list', sourceKind: 'agent',
    conversion: 'none', feed: 'agent', group: 'compat', compat: K,
    help: 'kumina alias of libvirt_domains: number of domains, active and inactive.',
  }),
  row({
    name: 'libvirt_domain_state_code', type: 'gauge', unit: 'code', source: 'state.state', conversion: 'code',
    feed: 'state', group: 'compat', compat: K,
    help: 'kumina alias of libvirt_domain_info_state: virDomainState code. Source: state.state.',
  }),
  row({
    name: 'libvirt_domain_block_stats_read_seconds_total', type: 'counter', unit: 's', source: 'block.N.rd.times',
    conversion: 'ns→s', feed: 'block', group: 'compat', compat: K,
    help: 'kumina alias of libvirt_domain_block_stats_read_time_seconds_total: time spent reading in seconds. Source: block.N.rd.times (ns).',
  }),
  row({
    name: 'libvirt_domain_block_stats_write_seconds_total', type: 'counter', unit: 's', source: 'block.N.wr.times',
    conversion: 'ns→s', feed: 'block', group: 'compat', compat: K,
    help: 'kumina alias of libvirt_domain_block_stats_write_time_seconds_total: time spent writing in seconds. Source: block.N.wr.times (ns).',
  }),
  row({
    name: 'libvirt_domain_block_stats_flush_seconds_total', type: 'counter', unit: 's', source: 'block.N.fl.times',
    conversion: 'ns→s', feed: 'block', group: 'compat', compat: K,
    help: 'kumina alias of libvirt_domain_block_stats_flush_time_seconds_total: time spent flushing in seconds. Source: block.N.fl.times (ns).',
  }),
];
