/**
 * The per-domain drilldown: the panels of prometheus-libvirt-exporter's (inovex) dashboard — power state,
 * CPU %, steal, memory, storage IOPS/throughput/latency/block size, network throughput/packets/errors/drops —
 * plus balloon, host RSS, per-vCPU time, flushes, capacity and sample freshness.
 */
import type { DashboardSpec, PanelSpec, Target } from './model.ts';
import { q, qi } from './model.ts';
import { STATE_MAPPINGS } from './overview.ts';

/** Stable uid of the drilldown dashboard (the overview links to it). */
export const DOMAIN_UID = 'virtmon-domain';

const S = 'instance="$host", domain="$domain"';
const R = '$__rate_interval';

function ts(title: string, unit: string, description: string, targets: readonly Target[], extra: Partial<PanelSpec> = {}): PanelSpec {
  return { type: 'timeseries', title, unit, w: 8, h: 8, description, targets, ...extra };
}

function stat(title: string, unit: string, description: string, expr: string, extra: Partial<PanelSpec> = {}): PanelSpec {
  return { type: 'stat', title, unit, w: 4, h: 4, description, targets: [qi(expr)], ...extra };
}

/** A per-device rate: `rate(metric[…])` legend `{{target_device}} <what>`. */
function dev(metric: string, what: string): Target {
  return q(`rate(${metric}{${S}}[${R}])`, `{{target_device}} ${what}`);
}

/** Seconds per request of a block device, as milliseconds. */
function latency(op: 'read' | 'write' | 'flush'): Target {
  const time = `libvirt_domain_block_stats_${op}_time_seconds_total`;
  const reqs = `libvirt_domain_block_stats_${op}_requests_total`;
  return q(`rate(${time}{${S}}[${R}]) / rate(${reqs}{${S}}[${R}]) * 1000`, `{{target_device}} ${op}`);
}

/** The drilldown dashboard spec. */
export const DOMAIN: DashboardSpec = {
  uid: DOMAIN_UID,
  title: 'virtmon / Domain',
  description: 'One domain on one host: state, CPU of its allocated vCPUs and steal, memory and balloon, per-disk IOPS, throughput and latency, per-NIC traffic, errors and drops.',
  links: [{ title: 'Host overview', type: 'link', url: '/d/virtmon-overview/virtmon-overview', icon: 'dashboard', keepTime: true, includeVars: false }],
  variables: [
    { name: 'host', label: 'Host', query: 'label_values(libvirt_up, instance)', multi: false },
    { name: 'domain', label: 'Domain', query: 'label_values(libvirt_domain_info{instance="$host"}, domain)', multi: false },
  ],
  rows: [
    {
      title: 'Overview',
      panels: [
        stat('Power state', 'none', 'Current domain state (virDomainState).', `libvirt_domain_info_state{${S}}`, { mappings: STATE_MAPPINGS }),
        stat('Allocated vCPUs', 'none', 'Online vCPUs.', `libvirt_domain_vcpu_current{${S}}`),
        stat('Allocated RAM', 'bytes', 'Maximum memory of the domain (the defined <memory>).', `libvirt_domain_info_maximum_memory_bytes{${S}}`),
        stat('Disks', 'none', 'Disks attached (cdrom and floppy excluded).', `count(libvirt_domain_block_stats_info{${S}})`),
        stat('Network ports', 'none', 'Interfaces with a target device.', `count(libvirt_domain_interface_stats_info{${S}})`),
        stat('Sample age', 's', 'Seconds since the last complete sample; cached or timed-out samples make it grow.', `time() - libvirt_domain_stats_last_success_timestamp_seconds{${S}}`, { thresholds: [[30, 'orange'], [60, 'red']] }),
      ],
    },
    {
      title: 'CPU',
      panels: [
        ts('CPU • Usage % of allocated vCPUs', 'percent', 'CPU time of all QEMU threads per second over the online vCPUs; 100 % = every vCPU busy. Sustained > 90 % means CPU pressure.', [
          q(`sum by (domain) (rate(libvirt_domain_info_cpu_time_seconds_total{${S}}[${R}])) / sum by (domain) (libvirt_domain_vcpu_current{${S}}) * 100`, 'total'),
          q(`sum by (domain) (rate(libvirt_domain_info_cpu_user_seconds_total{${S}}[${R}])) / sum by (domain) (libvirt_domain_vcpu_current{${S}}) * 100`, 'user'),
          q(`sum by (domain) (rate(libvirt_domain_info_cpu_system_seconds_total{${S}}[${R}])) / sum by (domain) (libvirt_domain_vcpu_current{${S}}) * 100`, 'system'),
        ], { thresholds: [[80, 'yellow'], [90, 'red']], w: 12 }),
        ts('CPU • Steal %', 'percent', 'Time vCPU threads waited in the host run queue, per vCPU and second: what the guest sees as steal. 1–3 % light, > 5 % sustained needs attention.', [
          q(`sum by (domain) (rate(libvirt_domain_vcpu_delay_seconds_total{${S}}[${R}])) / sum by (domain) (libvirt_domain_vcpu_current{${S}}) * 100`, 'steal'),
        ], { thresholds: [[1, 'yellow'], [3, 'orange'], [5, 'red']], w: 12 }),
        ts('vCPU • Time per vCPU %', 'percent', 'Time each vCPU thread ran on a host CPU.', [q(`rate(libvirt_domain_vcpu_time_seconds_total{${S}}[${R}]) * 100`, 'vcpu {{vcpu}}')], { w: 12 }),
        ts('vCPU • Run-queue delay per vCPU', 's', 'Seconds per second each vCPU thread was runnable but not running (schedstat).', [q(`rate(libvirt_domain_vcpu_delay_seconds_total{${S}}[${R}])`, 'vcpu {{vcpu}}')], { w: 12 }),
      ],
    },
    {
      title: 'Memory',
      panels: [
        ts('Memory • Allocation and balloon', 'bytes', 'Defined maximum, current balloon size and QEMU resident memory on the host.', [
          q(`libvirt_domain_memory_stats_maximum_bytes{${S}}`, 'maximum'),
          q(`libvirt_domain_memory_stats_current_balloon_bytes{${S}}`, 'balloon'),
          q(`libvirt_domain_memory_stats_rss_bytes{${S}}`, 'host RSS'),
        ], { w: 12 }),
        ts('Memory • Balloon % of maximum', 'percent', 'Current balloon size as a percentage of the defined maximum; below 100 % the balloon has taken memory back.', [
          q(`libvirt_domain_memory_stats_current_balloon_bytes{${S}} / libvirt_domain_memory_stats_maximum_bytes{${S}} * 100`, 'balloon'),
        ], { w: 12, min: 0, max: 100 }),
        ts('Memory • Guest usage %', 'percent', 'Memory in use inside the guest: (MemTotal − MemAvailable) / MemTotal. Needs the guest balloon driver and a stats period.', [
          q(`libvirt_domain_memory_stats_used_percent{${S}}`, 'used'),
        ], { thresholds: [[80, 'yellow'], [90, 'red']], min: 0, max: 100 }),
        ts('Memory • Guest view', 'bytes', 'Guest total, available (MemAvailable), unused (MemFree) and reclaimable caches.', [
          q(`libvirt_domain_memory_stats_available_bytes{${S}}`, 'total'),
          q(`libvirt_domain_memory_stats_usable_bytes{${S}}`, 'available'),
          q(`libvirt_domain_memory_stats_unused_bytes{${S}}`, 'unused'),
          q(`libvirt_domain_memory_stats_disk_caches_bytes{${S}}`, 'disk caches'),
        ]),
        ts('Memory • Swap activity and major faults', 'Bps', 'Guest swap in + out per second (sustained non-zero = memory pressure) and major page faults per second.', [
          q(`rate(libvirt_domain_memory_stats_swap_in_bytes{${S}}[${R}]) + rate(libvirt_domain_memory_stats_swap_out_bytes{${S}}[${R}])`, 'swap'),
          q(`rate(libvirt_domain_memory_stats_major_fault_total{${S}}[${R}])`, 'major faults/s'),
        ]),
      ],
    },
    {
      title: 'Storage',
      panels: [
        ts('Storage • Read IOPS', 'iops', 'Read requests per second per disk.', [dev('libvirt_domain_block_stats_read_requests_total', 'read')]),
        ts('Storage • Write IOPS', 'iops', 'Write requests per second per disk.', [dev('libvirt_domain_block_stats_write_requests_total', 'write')]),
        ts('Storage • Flush IOPS', 'iops', 'Flush requests per second per disk.', [dev('libvirt_domain_block_stats_flush_requests_total', 'flush')]),
        ts('Storage • Read throughput', 'Bps', 'Bytes read per second per disk.', [dev('libvirt_domain_block_stats_read_bytes_total', 'read')]),
        ts('Storage • Write throughput', 'Bps', 'Bytes written per second per disk.', [dev('libvirt_domain_block_stats_write_bytes_total', 'write')]),
        ts('Storage • Average block size', 'bytes', 'Bytes per request (read + write): small = IOPS-heavy, large = throughput-heavy.', [
          q(`(rate(libvirt_domain_block_stats_read_bytes_total{${S}}[${R}]) + rate(libvirt_domain_block_stats_write_bytes_total{${S}}[${R}])) / (rate(libvirt_domain_block_stats_read_requests_total{${S}}[${R}]) + rate(libvirt_domain_block_stats_write_requests_total{${S}}[${R}]))`, '{{target_device}}'),
        ]),
        ts('Storage • Latency', 'ms', 'Average time per request. < 5 ms excellent, 25–35 ms workload impacted, > 35 ms sustained backend pressure.', [latency('read'), latency('write'), latency('flush')], { thresholds: [[25, 'orange'], [35, 'red']], w: 16 }),
        ts('Storage • Capacity and allocation', 'bytes', 'Virtual size of each disk and the highest offset written.', [
          q(`libvirt_domain_block_stats_capacity_bytes{${S}}`, '{{target_device}} capacity'),
          q(`libvirt_domain_block_stats_allocation_bytes{${S}}`, '{{target_device}} allocation'),
        ]),
      ],
    },
    {
      title: 'Network',
      panels: [
        ts('Network • Receive throughput', 'Bps', 'Bytes per second received by the guest per interface.', [dev('libvirt_domain_interface_stats_receive_bytes_total', 'rx')]),
        ts('Network • Transmit throughput', 'Bps', 'Bytes per second transmitted by the guest per interface.', [dev('libvirt_domain_interface_stats_transmit_bytes_total', 'tx')]),
        ts('Network • Packets', 'pps', 'Packets per second per interface and direction.', [
          dev('libvirt_domain_interface_stats_receive_packets_total', 'rx'),
          dev('libvirt_domain_interface_stats_transmit_packets_total', 'tx'),
        ]),
        ts('Network • Errors', 'short', 'Receive and transmit errors per second: corrupted frames, driver faults. Sustained non-zero values are abnormal.', [
          dev('libvirt_domain_interface_stats_receive_errors_total', 'rx'),
          dev('libvirt_domain_interface_stats_transmit_errors_total', 'tx'),
        ], { thresholds: [[0.1, 'red']], w: 12 }),
        ts('Network • Drops', 'short', 'Packets dropped per second: buffer exhaustion, a guest too slow to drain its queue, host congestion.', [
          dev('libvirt_domain_interface_stats_receive_drops_total', 'rx'),
          dev('libvirt_domain_interface_stats_transmit_drops_total', 'tx'),
        ], { w: 12 }),
      ],
    },
  ],
};
