/**
 * metrics.md §3 "Info metrics" and §5 `_metadata_info`: value 1, labels from the domain definition. They
 * carry what must never be a label on value series (UUID, Nova names, paths, serials, MACs) and are joined
 * with `* on(domain) group_left(...)` (§9). Missing XML attributes are empty strings.
 */
import { row } from './row.ts';
import type { MetricDef } from './types.ts';

/** Name of the generic metadata info metric, whose label names come from the configured allowlist. */
export const METADATA_INFO = 'libvirt_domain_metadata_info';

/** Definition-derived info metrics. */
export const INFO_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_domain_info', type: 'info', unit: '–', source: 'domain XML <os><type>', sourceKind: 'definition',
    conversion: 'none', feed: 'definition', group: 'info', domains: 'all', labels: 'custom',
    labelNames: ['domain', 'os_type', 'os_type_arch', 'os_type_machine'],
    help: 'Domain definition facts as labels, value 1: os_type from <os><type>, os_type_arch and os_type_machine from its arch and machine attributes.',
  }),
  row({
    name: 'libvirt_domain_openstack_info', type: 'info', unit: '–', source: 'domain XML <metadata> nova:instance',
    sourceKind: 'definition', conversion: 'none', feed: 'definition', group: 'info', domains: 'all', labels: 'custom',
    labelNames: ['domain', 'instance_name', 'instance_id', 'flavor_name', 'user_name', 'user_id', 'project_name', 'project_id'],
    help: 'OpenStack Nova identity of the domain as labels, value 1, for every domain: instance_id is the domain UUID; the others come from the nova:instance metadata (1.1, then 1.0) and are empty without it.',
  }),
  row({
    name: 'libvirt_domain_block_stats_info', type: 'info', unit: '–', source: 'domain XML <disk>', sourceKind: 'definition',
    conversion: 'none', feed: 'block', group: 'info', labels: 'custom',
    labelNames: ['domain', 'disk_type', 'target_bus', 'driver_name', 'driver_type', 'driver_cache', 'driver_discard',
      'source_file', 'source_protocol', 'target_device', 'serial'],
    help: 'Block device facts from the <disk> element as labels, value 1, one per disk (cdrom and floppy skipped); join on domain and target_device.',
  }),
  row({
    name: 'libvirt_domain_interface_stats_info', type: 'info', unit: '–', source: 'domain XML <interface>', sourceKind: 'definition',
    conversion: 'none', feed: 'interface', group: 'info', labels: 'custom',
    labelNames: ['domain', 'interface_type', 'source_bridge', 'target_device', 'mac_address', 'model_type', 'mtu_size'],
    help: 'Interface facts from the <interface> element as labels, value 1, one per interface with a <target dev>; join on domain and target_device.',
  }),
  row({
    name: METADATA_INFO, type: 'info', unit: '–', source: 'domain XML <metadata> (metrics.metadataLabels)',
    sourceKind: 'definition', conversion: 'none', feed: 'definition', group: 'extension', domains: 'all', labels: 'custom',
    labelNames: ['domain'],
    note: 'labels: domain + the allowlisted keys; emitted only when metrics.metadataLabels is not empty',
    help: 'Allowlisted values from the domain\'s <metadata> as labels (metrics.metadataLabels), value 1; every configured label is always present, empty when the element is missing.',
  }),
];
