/**
 * metrics.md §3 and §5, per-device value series: block devices (`block.N.*`, label target_device = the
 * disk's `<target dev>`; cdrom and floppy disks skipped) and interfaces (`net.N.*`, label target_device =
 * the interface's `<target dev>`; interfaces without one skipped). Interface counters are from the
 * guest's point of view.
 */
import { collectd, otel, row } from './row.ts';
import type { MetricDef } from './types.ts';

const DISK = { target_device: 'system.device' } as const;
const NIC = { target_device: 'network.interface.name' } as const;
const READ = { 'disk.io.direction': 'read' } as const;
const WRITE = { 'disk.io.direction': 'write' } as const;
const RX = { 'network.io.direction': 'receive' } as const;
const TX = { 'network.io.direction': 'transmit' } as const;

/** Block device value series (core and extensions). */
export const BLOCK_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_domain_block_stats_read_bytes_total', type: 'counter', unit: 'B', source: 'block.N.rd.bytes',
    conversion: 'id', feed: 'block', group: 'core',
    help: 'Bytes read from the block device by the guest. Source: block.N.rd.bytes (QMP query-blockstats).',
    otel: otel('libvirt.domain.disk.io', 'Counter', 'By', { attributes: READ, labelAttributes: DISK }),
    collectd: collectd('disk_octets', '<dev>', 'read'),
  }),
  row({
    name: 'libvirt_domain_block_stats_read_requests_total', type: 'counter', unit: '1', source: 'block.N.rd.reqs',
    conversion: 'id', feed: 'block', group: 'core',
    help: 'Read requests completed on the block device. Source: block.N.rd.reqs.',
    otel: otel('libvirt.domain.disk.operations', 'Counter', '{operation}', { attributes: READ, labelAttributes: DISK }),
    collectd: collectd('disk_ops', '<dev>', 'read'),
  }),
  row({
    name: 'libvirt_domain_block_stats_write_bytes_total', type: 'counter', unit: 'B', source: 'block.N.wr.bytes',
    conversion: 'id', feed: 'block', group: 'core',
    help: 'Bytes written to the block device by the guest. Source: block.N.wr.bytes.',
    otel: otel('libvirt.domain.disk.io', 'Counter', 'By', { attributes: WRITE, labelAttributes: DISK }),
    collectd: collectd('disk_octets', '<dev>', 'write'),
  }),
  row({
    name: 'libvirt_domain_block_stats_write_requests_total', type: 'counter', unit: '1', source: 'block.N.wr.reqs',
    conversion: 'id', feed: 'block', group: 'core',
    help: 'Write requests completed on the block device. Source: block.N.wr.reqs.',
    otel: otel('libvirt.domain.disk.operations', 'Counter', '{operation}', { attributes: WRITE, labelAttributes: DISK }),
    collectd: collectd('disk_ops', '<dev>', 'write'),
  }),
  row({
    name: 'libvirt_domain_block_stats_read_time_seconds_total', type: 'counter', unit: 's', source: 'block.N.rd.times',
    conversion: 'ns→s', feed: 'block', group: 'core',
    help: 'Total time spent on read requests of the block device in seconds. Source: block.N.rd.times (ns).',
    otel: otel('libvirt.domain.disk.operation_time', 'Counter', 's', { attributes: READ, labelAttributes: DISK }),
    collectd: collectd('disk_time', '<dev>', 'read'),
  }),
  row({
    name: 'libvirt_domain_block_stats_write_time_seconds_total', type: 'counter', unit: 's', source: 'block.N.wr.times',
    conversion: 'ns→s', feed: 'block', group: 'core',
    help: 'Total time spent on write requests of the block device in seconds. Source: block.N.wr.times (ns).',
    otel: otel('libvirt.domain.disk.operation_time', 'Counter', 's', { attributes: WRITE, labelAttributes: DISK }),
    collectd: collectd('disk_time', '<dev>', 'write'),
  }),
  row({
    name: 'libvirt_domain_block_stats_flush_requests_total', type: 'counter', unit: '1', source: 'block.N.fl.reqs',
    conversion: 'id', feed: 'block', group: 'core',
    help: 'Flush requests completed on the block device. Source: block.N.fl.reqs.',
    otel: otel('libvirt.domain.disk.flush.operations', 'Counter', '{operation}', { labelAttributes: DISK }),
    collectd: collectd('total_requests', 'flush-<dev>', 'value'),
  }),
  row({
    name: 'libvirt_domain_block_stats_flush_time_seconds_total', type: 'counter', unit: 's', source: 'block.N.fl.times',
    conversion: 'ns→s', feed: 'block', group: 'core',
    help: 'Total time spent on flush requests of the block device in seconds. Source: block.N.fl.times (ns).',
    otel: otel('libvirt.domain.disk.flush.time', 'Counter', 's', { labelAttributes: DISK }),
    collectd: collectd('total_time_in_ms', 'flush-<dev>', 'value', 'ns→ms'),
  }),
  row({
    name: 'libvirt_domain_block_stats_capacity_bytes', type: 'gauge', unit: 'B', source: 'block.N.capacity',
    conversion: 'id', feed: 'block', group: 'core',
    help: 'Logical size of the block device (virtual size of its image) in bytes. Source: block.N.capacity.',
    otel: otel('libvirt.domain.disk.capacity', 'UpDownCounter', 'By', { labelAttributes: DISK }),
    collectd: collectd('disk_capacity', '<dev>', 'value'),
  }),
  row({
    name: 'libvirt_domain_block_stats_allocation_bytes', type: 'gauge', unit: 'B', source: 'block.N.allocation',
    conversion: 'id', feed: 'block', group: 'extension',
    help: 'Highest offset written on the block device in bytes (allocation of a thin image as QEMU sees it). Source: block.N.allocation.',
    otel: otel('libvirt.domain.disk.allocation', 'UpDownCounter', 'By', { labelAttributes: DISK }),
    collectd: collectd('disk_allocation', '<dev>', 'value'),
  }),
  row({
    name: 'libvirt_domain_block_stats_physical_bytes', type: 'gauge', unit: 'B', source: 'block.N.physical',
    conversion: 'id', feed: 'block', group: 'extension',
    help: 'Host storage used by the block device\'s image in bytes (file size or actual size). Source: block.N.physical.',
    otel: otel('libvirt.domain.disk.physical', 'UpDownCounter', 'By', { labelAttributes: DISK }),
    collectd: collectd('disk_physical', '<dev>', 'value'),
  }),
];

/** Interface value series (core). */
export const INTERFACE_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_domain_interface_stats_receive_bytes_total', type: 'counter', unit: 'B', source: 'net.N.rx.bytes',
    conversion: 'id', feed: 'interface', group: 'core',
    help: 'Bytes received by the guest on the interface. Source: net.N.rx.bytes (guest point of view).',
    otel: otel('libvirt.domain.network.io', 'Counter', 'By', { attributes: RX, labelAttributes: NIC }),
    collectd: collectd('if_octets', '<if>', 'rx'),
  }),
  row({
    name: 'libvirt_domain_interface_stats_receive_packets_total', type: 'counter', unit: '1', source: 'net.N.rx.pkts',
    conversion: 'id', feed: 'interface', group: 'core',
    help: 'Packets received by the guest on the interface. Source: net.N.rx.pkts.',
    otel: otel('libvirt.domain.network.packet.count', 'Counter', '{packet}', { attributes: RX, labelAttributes: NIC }),
    collectd: collectd('if_packets', '<if>', 'rx'),
  }),
  row({
    name: 'libvirt_domain_interface_stats_receive_errors_total', type: 'counter', unit: '1', source: 'net.N.rx.errs',
    conversion: 'id', feed: 'interface', group: 'core',
    help: 'Receive errors on the interface. Source: net.N.rx.errs.',
    otel: otel('libvirt.domain.network.errors', 'Counter', '{error}', { attributes: RX, labelAttributes: NIC }),
    collectd: collectd('if_errors', '<if>', 'rx'),
  }),
  row({
    name: 'libvirt_domain_interface_stats_receive_drops_total', type: 'counter', unit: '1', source: 'net.N.rx.drop',
    conversion: 'id', feed: 'interface', group: 'core',
    help: 'Received packets dropped on the interface. Source: net.N.rx.drop.',
    otel: otel('libvirt.domain.network.packet.dropped', 'Counter', '{packet}', { attributes: RX, labelAttributes: NIC }),
    collectd: collectd('if_dropped', '<if>', 'rx'),
  }),
  row({
    name: 'libvirt_domain_interface_stats_transmit_bytes_total', type: 'counter', unit: 'B', source: 'net.N.tx.bytes',
    conversion: 'id', feed: 'interface', group: 'core',
    help: 'Bytes transmitted by the guest on the interface. Source: net.N.tx.bytes (guest point of view).',
    otel: otel('libvirt.domain.network.io', 'Counter', 'By', { attributes: TX, labelAttributes: NIC }),
    collectd: collectd('if_octets', '<if>', 'tx'),
  }),
  row({
    name: 'libvirt_domain_interface_stats_transmit_packets_total', type: 'counter', unit: '1', source: 'net.N.tx.pkts',
    conversion: 'id', feed: 'interface', group: 'core',
    help: 'Packets transmitted by the guest on the interface. Source: net.N.tx.pkts.',
    otel: otel('libvirt.domain.network.packet.count', 'Counter', '{packet}', { attributes: TX, labelAttributes: NIC }),
    collectd: collectd('if_packets', '<if>', 'tx'),
  }),
  row({
    name: 'libvirt_domain_interface_stats_transmit_errors_total', type: 'counter', unit: '1', source: 'net.N.tx.errs',
    conversion: 'id', feed: 'interface', group: 'core',
    help: 'Transmit errors on the interface. Source: net.N.tx.errs.',
    otel: otel('libvirt.domain.network.errors', 'Counter', '{error}', { attributes: TX, labelAttributes: NIC }),
    collectd: collectd('if_errors', '<if>', 'tx'),
  }),
  row({
    name: 'libvirt_domain_interface_stats_transmit_drops_total', type: 'counter', unit: '1', source: 'net.N.tx.drop',
    conversion: 'id', feed: 'interface', group: 'core',
    help: 'Transmitted packets dropped on the interface. Source: net.N.tx.drop.',
    otel: otel('libvirt.domain.network.packet.dropped', 'Counter', '{packet}', { attributes: TX, labelAttributes: NIC }),
    collectd: collectd('if_dropped', '<if>', 'tx'),
  }),
];
