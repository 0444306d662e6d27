/** The host overview dashboard: domains by state, top consumers, collector health, remediation actions. */
import type { DashboardSpec, PanelSpec } from './model.ts';
import { q, qi } from './model.ts';

/** Stable uid of the overview dashboard (links and provisioning rely on it). */
export const OVERVIEW_UID = 'virtmon-overview';

const H = 'instance=~"$host"';
const R = '$__rate_interval';

/** Drilldown link from a per-domain series. */
const DRILL = [{ title: 'Domain ${__field.labels.domain}', url: '/d/virtmon-domain/virtmon-domain?var-host=${__field.labels.instance}&var-domain=${__field.labels.domain}&${__url_time_range}' }];

/** State codes as inovex's dashboard spells them (metrics.md §2). */
export const STATE_MAPPINGS = {
  0: { text: 'NO STATE', color: 'red' },
  1: { text: 'RUNNING', color: 'green' },
  2: { text: 'BLOCKED', color: 'orange' },
  3: { text: 'PAUSED', color: 'orange' },
  4: { text: 'SHUTTING DOWN', color: 'orange' },
  5: { text: 'SHUT OFF', color: 'blue' },
  6: { text: 'CRASHED', color: 'red' },
  7: { text: 'PM SUSPENDED', color: 'purple' },
} as const;

function top(title: string, unit: string, expr: string, description: string): PanelSpec {
  return { type: 'timeseries', title, unit, w: 12, h: 8, description, links: DRILL, targets: [q(`topk(10, ${expr})`, '{{domain}} ({{instance}})')] };
}

const ACTIONS = `virtmon_remediation_actions_total{${H}}`;

/**
 * Actions counted in the window `w`. prom-client creates a labelled counter series at its first inc(),
 * already at 1, and increase() never sees that step: the first action of each (domain, action, result)
 * would show as 0. So a series that did not exist at the window's start contributes its whole value.
 */
const actionsIn = (w: string): string => `(increase(${ACTIONS}[${w}]) and ${ACTIONS} offset ${w}) or ${ACTIONS}`;

const cpuPct = `sum by (instance, domain) (rate(libvirt_domain_info_cpu_time_seconds_total{${H}}[${R}])) / sum by (instance, domain) (libvirt_domain_vcpu_current{${H}}) * 100`;

/** The overview dashboard spec. */
export const OVERVIEW: DashboardSpec = {
  uid: OVERVIEW_UID,
  title: 'virtmon / Host overview',
  description: 'KVM/QEMU hosts monitored by virtmon: domains by state, top CPU, memory, disk and network consumers, collector health and remediation actions.',
  links: [{ title: 'Domain drilldown', type: 'link', url: '/d/virtmon-domain/virtmon-domain', icon: 'dashboard', keepTime: true, includeVars: true }],
  variables: [{ name: 'host', label: 'Host', query: 'label_values(libvirt_up, instance)', multi: true }],
  rows: [
    {
      title: 'Hosts and domains',
      panels: [
        { type: 'stat', title: 'Agent up', unit: 'none', w: 4, h: 4, description: 'libvirt_up: 1 when the hypervisor driver answered the last domain listing.', mappings: { 0: { text: 'DOWN', color: 'red' }, 1: { text: 'UP', color: 'green' } }, targets: [qi(`min(libvirt_up{${H}})`)] },
        { type: 'stat', title: 'Domains', unit: 'none', w: 4, h: 4, description: 'All domains the driver lists, active and inactive.', targets: [qi(`sum(libvirt_domains{${H}})`)] },
        { type: 'stat', title: 'Running', unit: 'none', w: 4, h: 4, description: 'Domains in state 1 (running).', targets: [qi(`count(libvirt_domain_info_state{${H}} == 1) or vector(0)`)] },
        { type: 'stat', title: 'Not running', unit: 'none', w: 4, h: 4, description: 'Domains paused, shut off, crashed or otherwise not running.', thresholds: [[1, 'orange']], targets: [qi(`count(libvirt_domain_info_state{${H}} != 1) or vector(0)`)] },
        { type: 'stat', title: 'Allocated vCPUs', unit: 'none', w: 4, h: 4, description: 'Online vCPUs of all active domains.', targets: [qi(`sum(libvirt_domain_vcpu_current{${H}})`)] },
        { type: 'stat', title: 'Allocated memory', unit: 'bytes', w: 4, h: 4, description: 'Memory currently allocated to active domains (balloon size).', targets: [qi(`sum(libvirt_domain_info_memory_usage_bytes{${H}})`)] },
        { type: 'piechart', title: 'Domains by state', unit: 'none', w: 8, h: 8, description: 'Number of domains per state (state_desc as inovex spells it).', targets: [qi(`count by (state_desc) (libvirt_domain_info_state{${H}})`, '{{state_desc}}')] },
        { type: 'table', title: 'Domains', unit: 'none', w: 16, h: 8, description: 'Every domain with its state code; click a row value to open the drilldown.', mappings: STATE_MAPPINGS, links: DRILL, targets: [qi(`max by (instance, domain) (libvirt_domain_info_state{${H}})`)] },
      ],
    },
    {
      title: 'Top consumers',
      panels: [
        top('Top CPU (% of allocated vCPUs)', 'percent', cpuPct, 'CPU time of all QEMU threads per second, as a percentage of the online vCPUs (100 % = every vCPU busy).'),
        top('Top memory (allocated)', 'bytes', `libvirt_domain_info_memory_usage_bytes{${H}}`, 'Balloon size: memory the domain has now.'),
        top('Top host RSS', 'bytes', `libvirt_domain_memory_stats_rss_bytes{${H}}`, 'Resident set size of the QEMU process on the host.'),
        top('Top disk throughput', 'Bps', `sum by (instance, domain) (rate(libvirt_domain_block_stats_read_bytes_total{${H}}[${R}]) + rate(libvirt_domain_block_stats_write_bytes_total{${H}}[${R}]))`, 'Read + write bytes per second over all disks of the domain.'),
        top('Top disk IOPS', 'iops', `sum by (instance, domain) (rate(libvirt_domain_block_stats_read_requests_total{${H}}[${R}]) + rate(libvirt_domain_block_stats_write_requests_total{${H}}[${R}]))`, 'Read + write requests per second over all disks of the domain.'),
        top('Top network throughput', 'Bps', `sum by (instance, domain) (rate(libvirt_domain_interface_stats_receive_bytes_total{${H}}[${R}]) + rate(libvirt_domain_interface_stats_transmit_bytes_total{${H}}[${R}]))`, 'Received + transmitted bytes per second over all interfaces (guest point of view).'),
      ],
    },
    {
      title: 'Collector health',
      panels: [
        { type: 'timeseries', title: 'Collector success', unit: 'none', w: 8, h: 8, min: 0, max: 1, description: 'virtmon_collector_success: 1 when the collector got data for every domain it tried in the last cycle.', targets: [q(`virtmon_collector_success{${H}}`, '{{collector}} ({{instance}})')] },
        { type: 'timeseries', title: 'Collector duration', unit: 's', w: 8, h: 8, description: 'Time each collector spent in the last cycle, summed over domains.', stack: true, targets: [q(`virtmon_collector_duration_seconds{${H}}`, '{{collector}} ({{instance}})')] },
        { type: 'timeseries', title: 'Collection cycle duration', unit: 's', w: 8, h: 8, description: 'p50/p99 and mean of the full collection cycle.', targets: [
          q(`histogram_quantile(0.5, sum by (instance, le) (rate(virtmon_collection_cycle_duration_seconds_bucket{${H}}[${R}])))`, 'p50 {{instance}}'),
          q(`histogram_quantile(0.99, sum by (instance, le) (rate(virtmon_collection_cycle_duration_seconds_bucket{${H}}[${R}])))`, 'p99 {{instance}}'),
          q(`sum by (instance) (rate(virtmon_collection_cycle_duration_seconds_sum{${H}}[${R}])) / sum by (instance) (rate(virtmon_collection_cycle_duration_seconds_count{${H}}[${R}]))`, 'mean {{instance}}'),
        ] },
        { type: 'timeseries', title: 'Skipped cycles', unit: 'short', w: 8, h: 8, description: 'Cycles not started because the previous one still ran (a slow host or too short an interval).', targets: [q(`sum by (instance) (increase(virtmon_collection_cycles_skipped_total{${H}}[${R}]))`, '{{instance}}')] },
        { type: 'timeseries', title: 'Stale and timed-out domains', unit: 'none', w: 8, h: 8, description: 'Domains whose last sample timed out or is served from the previous cycle (cached).', targets: [
          q(`sum by (instance) (libvirt_domain_timed_out{${H}})`, 'timed out {{instance}}'),
          q(`sum by (instance) (libvirt_domain_stats_cached{${H}})`, 'cached {{instance}}'),
        ] },
        { type: 'timeseries', title: 'Sample age (oldest domain)', unit: 's', w: 8, h: 8, description: 'Seconds since the last complete sample of the least fresh domain.', thresholds: [[30, 'orange'], [60, 'red']], targets: [q(`max by (instance) (time() - libvirt_domain_stats_last_success_timestamp_seconds{${H}})`, '{{instance}}')] },
      ],
    },
    {
      title: 'Remediation',
      panels: [
        { type: 'stat', title: 'Actions in range', unit: 'none', w: 6, h: 8, description: 'Remediation actions taken in the selected time range, all results.', targets: [qi(`sum(${actionsIn('$__range')}) or vector(0)`)] },
        { type: 'timeseries', title: 'Remediation actions', unit: 'short', w: 18, h: 8, description: 'Actions by action and result (success, failed, dry_run, refused, rate_limited).', stack: true, targets: [q(`sum by (action, result) (${actionsIn(R)})`, '{{action}} {{result}}')] },
        { type: 'table', title: 'Actions per domain', unit: 'none', w: 24, h: 8, description: 'Actions per domain in the selected range.', targets: [qi(`sum by (instance, domain, action, result) (${actionsIn('$__range')})`)] },
      ],
    },
  ],
};
