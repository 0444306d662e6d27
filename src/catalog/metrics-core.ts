/**
 * metrics.md §3, core set without devices and memory: host-level gauges, the `libvirt_domain_info_*`
 * family (inovex's virDomainGetInfo names, fed from bulk-stats fields) and the vCPU metrics.
 */
import { collectd, otel, row } from './row.ts';
import type { MetricDef } from './types.ts';

const VCPU_ATTR = { vcpu: 'libvirt.vcpu.id' } as const;

/** Host-level and per-domain core metrics (not devices, not memory). */
export const CORE_DOMAIN_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_up', type: 'gauge', unit: '0/1', source: 'driver listing succeeded', sourceKind: 'agent',
    conversion: 'none', feed: 'agent', group: 'core',
    help: '1 when the hypervisor driver answered the last domain listing, 0 when it did not. One domain failing does not set it to 0.',
  }),
  row({
    name: 'libvirt_domains', type: 'gauge', unit: 'count', source: 'all domains, active + inactive', sourceKind: 'agent',
    conversion: 'none', feed: 'agent', group: 'core',
    help: 'Number of domains the driver lists, active and inactive (including those hidden by domains.includeInactive: false).',
  }),
  row({
    name: 'libvirt_domain_timed_out', type: 'gauge', unit: '0/1', source: 'flags.timedOut', sourceKind: 'flag',
    conversion: 'id', feed: 'agent', group: 'core', domains: 'all',
    help: '1 when the last collection of the domain exceeded its time budget (default 3 s), else 0. Always 0 for inactive domains.',
    otel: otel('virtmon.domain.stats.timed_out', 'Gauge', '1'),
  }),
  row({
    name: 'libvirt_domain_info_state', type: 'gauge', unit: 'code', source: 'state.state', conversion: 'code',
    feed: 'state', group: 'core', domains: 'all', labels: 'custom', labelNames: ['domain', 'state_desc'],
    help: 'Domain state as virDomainState code (0 no state, 1 running, 2 blocked, 3 paused, 4 shutting down, 5 shut off, 6 crashed, 7 pmsuspended); state_desc spells it out. Source: bulk-stats state.state.',
    otel: otel('libvirt.domain.state', 'Gauge', '1'),
    collectd: collectd('domain_state', '', 'state'),
  }),
  row({
    name: 'libvirt_domain_info_maximum_memory_bytes', type: 'gauge', unit: 'B', source: 'balloon.maximum',
    conversion: 'KiB→B', feed: 'memory', group: 'core', domains: 'all', fallback: 'definition.memory',
    help: 'Maximum memory of the domain in bytes (the defined <memory>). Source: balloon.maximum (KiB), or the definition for inactive domains.',
    snmp: { object: 'libvirtGuestMemoryLimit', oid: '1.3.6.1.4.1.36957.1.1.1.6', syntax: 'Unsigned32', value: 'KiB→MiB' },
  }),
  row({
    name: 'libvirt_domain_info_memory_usage_bytes', type: 'gauge', unit: 'B', source: 'balloon.current',
    conversion: 'KiB→B', feed: 'memory', group: 'core',
    help: 'Memory currently allocated to the domain in bytes: the balloon size, not what the guest uses. Source: balloon.current (KiB).',
    collectd: collectd('memory', 'total', 'value', 'KiB→B'),
    snmp: { object: 'libvirtGuestMemoryCurrent', oid: '1.3.6.1.4.1.36957.1.1.1.5', syntax: 'Gauge32', value: 'KiB→MiB' },
  }),
  row({
    name: 'libvirt_domain_info_virtual_cpus', type: 'gauge', unit: 'count', source: 'vcpu.current', conversion: 'id',
    feed: 'vcpu', group: 'core',
    help: 'Number of online virtual CPUs of the domain. Source: vcpu.current.',
    snmp: { object: 'libvirtGuestCpuCount', oid: '1.3.6.1.4.1.36957.1.1.1.4', syntax: 'Unsigned32', value: 'native' },
  }),
  row({
    name: 'libvirt_domain_info_cpu_time_seconds_total', type: 'counter', unit: 's', source: 'cpu.time', conversion: 'ns→s',
    feed: 'cpu', group: 'core',
    help: 'CPU time used by all QEMU threads of the domain in seconds (cgroup cpu accounting). Source: cpu.time (ns).',
    otel: otel('libvirt.domain.cpu.time', 'Counter', 's'),
    collectd: collectd('virt_cpu_total', '', 'value'),
    snmp: { object: 'libvirtGuestCpuTime', oid: '1.3.6.1.4.1.36957.1.1.1.7', syntax: 'Counter64', value: 'native' },
  }),
];

/** metrics.md §3 vCPU metrics. */
export const CORE_VCPU_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_domain_vcpu_current', type: 'gauge', unit: 'count', source: 'vcpu.current', conversion: 'id',
    feed: 'vcpu', group: 'core',
    help: 'Number of online vCPUs. Source: vcpu.current.',
    otel: otel('libvirt.domain.vcpu.count', 'UpDownCounter', '{vcpu}'),
  }),
  row({
    name: 'libvirt_domain_vcpu_maximum', type: 'gauge', unit: 'count', source: 'vcpu.maximum', conversion: 'id',
    feed: 'vcpu', group: 'core',
    help: 'Maximum number of vCPUs the domain can have online. Source: vcpu.maximum.',
    otel: otel('libvirt.domain.vcpu.limit', 'UpDownCounter', '{vcpu}'),
  }),
  row({
    name: 'libvirt_domain_vcpu_state', type: 'gauge', unit: 'code', source: 'vcpu.N.state', conversion: 'code',
    feed: 'vcpu', group: 'core',
    help: 'State of the vCPU: 0 offline, 1 running, 2 blocked (virVcpuState). Source: vcpu.N.state.',
    otel: otel('libvirt.domain.vcpu.state', 'Gauge', '1', { labelAttributes: VCPU_ATTR }),
  }),
  row({
    name: 'libvirt_domain_vcpu_time_seconds_total', type: 'counter', unit: 's', source: 'vcpu.N.time', conversion: 'ns→s',
    feed: 'vcpu', group: 'core',
    help: 'Time the vCPU thread ran on a host CPU in seconds (user + system). Source: vcpu.N.time (ns).',
    otel: otel('libvirt.domain.vcpu.time', 'Counter', 's', { labelAttributes: VCPU_ATTR }),
    collectd: collectd('virt_vcpu', '<n>', 'value'),
  }),
  row({
    name: 'libvirt_domain_vcpu_wait_seconds_total', type: 'counter', unit: 's', source: 'vcpu.N.wait', conversion: 'ns→s',
    feed: 'vcpu', group: 'core',
    help: 'Time the vCPU thread was runnable but waited for a host CPU in seconds (schedstats wait_sum; needs kernel schedstats). Source: vcpu.N.wait (ns).',
    otel: otel('libvirt.domain.vcpu.wait_time', 'Counter', 's', { labelAttributes: VCPU_ATTR }),
  }),
  row({
    name: 'libvirt_domain_vcpu_delay_seconds_total', type: 'counter', unit: 's', source: 'vcpu.N.delay', conversion: 'ns→s',
    feed: 'vcpu', group: 'core',
    help: 'Time the vCPU thread spent in the host run queue in seconds; the guest sees it as steal time. Source: vcpu.N.delay (ns, schedstat run-queue wait).',
    otel: otel('libvirt.domain.vcpu.delay_time', 'Counter', 's', { labelAttributes: VCPU_ATTR }),
  }),
];
