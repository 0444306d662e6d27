/**
 * metrics.md §4: storage pools (collector `storage_pool`, label storage_pool) and domain jobs (collector
 * `job`, active domains only). Job times are converted from ms to real seconds (D5; inovex emits raw ms).
 * The `file_*` names follow virDomainJobInfo, fed from the `job.disk_*` fields.
 */
import { collectd, otel, row } from './row.ts';
import type { MetricDef } from './types.ts';

const POOL = { storage_pool: 'libvirt.storage_pool.name' } as const;

/** Storage pool metrics. */
export const POOL_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_storage_pool_state', type: 'gauge', unit: 'code', source: 'pool.state', conversion: 'code',
    feed: 'storage_pool', group: 'storage_pool',
    help: 'Storage pool state: 0 inactive, 1 building, 2 running, 3 degraded, 4 inaccessible (virStoragePoolState). Source: pool.state.',
    otel: otel('libvirt.storage_pool.state', 'Gauge', '1', { labelAttributes: POOL }),
  }),
  row({
    name: 'libvirt_storage_pool_capacity_bytes', type: 'gauge', unit: 'B', source: 'pool.capacity', conversion: 'id',
    feed: 'storage_pool', group: 'storage_pool',
    help: 'Logical size of the storage pool in bytes. Source: pool.capacity.',
    otel: otel('libvirt.storage_pool.capacity', 'UpDownCounter', 'By', { labelAttributes: POOL }),
  }),
  row({
    name: 'libvirt_storage_pool_allocation_bytes', type: 'gauge', unit: 'B', source: 'pool.allocation', conversion: 'id',
    feed: 'storage_pool', group: 'storage_pool',
    help: 'Bytes allocated to volumes in the storage pool. Source: pool.allocation.',
    otel: otel('libvirt.storage_pool.allocation', 'UpDownCounter', 'By', { labelAttributes: POOL }),
  }),
  row({
    name: 'libvirt_storage_pool_available_bytes', type: 'gauge', unit: 'B', source: 'pool.available', conversion: 'id',
    feed: 'storage_pool', group: 'storage_pool',
    help: 'Free space left in the storage pool in bytes. Source: pool.available.',
    otel: otel('libvirt.storage_pool.available', 'UpDownCounter', 'By', { labelAttributes: POOL }),
  }),
  row({
    name: 'libvirt_storage_pool_timed_out', type: 'gauge', unit: '0/1', source: 'flags.timedOut', sourceKind: 'flag',
    labels: 'storage_pool', domains: 'host', conversion: 'id', feed: 'storage_pool', group: 'storage_pool',
    help: '1 when the last collection of the storage pool exceeded its time budget, else 0.',
  }),
];

/** One job byte counter: Prometheus `libvirt_domain_job_info_<kind>_<step>_bytes` from `job.<field>_<step>`. */
function jobBytes(kind: 'data' | 'memory' | 'file', field: 'data' | 'memory' | 'disk', step: 'total' | 'processed' | 'remaining'): MetricDef {
  const what = kind === 'data' ? 'all data' : kind === 'memory' ? 'guest memory' : 'disk (file) data';
  const stepText = step === 'total' ? 'to transfer in total' : step === 'processed' ? 'already transferred' : 'still to transfer';
  return row({
    name: `libvirt_domain_job_info_${kind}_${step}_bytes`, type: 'gauge', unit: 'B', source: `job.${field}_${step}`,
    conversion: 'id', feed: 'job', group: 'job',
    help: `Bytes of ${what} the current job has ${stepText}; 0 when no job runs. Source: job.${field}_${step}.`,
    otel: otel(`libvirt.domain.job.${field}`, 'UpDownCounter', 'By', { attributes: { 'libvirt.job.progress': step } }),
    collectd: collectd('job_stats', `${field}_${step}`, 'value'),
  });
}

/** Domain job metrics. */
export const JOB_METRICS: readonly MetricDef[] = [
  row({
    name: 'libvirt_domain_job_info_type', type: 'gauge', unit: 'code', source: 'job.type', conversion: 'code',
    feed: 'job', group: 'job',
    help: 'Type of the domain\'s current job: 0 none, 1 bounded, 2 unbounded, 3 completed, 4 failed, 5 cancelled (virDomainJobType). Source: job.type.',
    otel: otel('libvirt.domain.job.type', 'Gauge', '1'),
    collectd: collectd('job_stats', 'type', 'value'),
  }),
  row({
    name: 'libvirt_domain_job_info_time_elapsed_seconds', type: 'gauge', unit: 's', source: 'job.time_elapsed', conversion: 'ms→s',
    feed: 'job', group: 'job', note: 'real seconds; inovex emits raw ms under this name (D5)',
    help: 'Time since the current job started in seconds; 0 when no job runs. Source: job.time_elapsed (ms).',
    otel: otel('libvirt.domain.job.time_elapsed', 'Gauge', 's'),
    collectd: collectd('job_stats', 'time_elapsed', 'value'),
  }),
  row({
    name: 'libvirt_domain_job_info_time_remaining_seconds', type: 'gauge', unit: 's', source: 'job.time_remaining', conversion: 'ms→s',
    feed: 'job', group: 'job', note: 'real seconds; inovex emits raw ms under this name (D5)',
    help: 'Estimated time until the current job ends in seconds; 0 when no job runs or no estimate exists. Source: job.time_remaining (ms).',
    otel: otel('libvirt.domain.job.time_remaining', 'Gauge', 's'),
    collectd: collectd('job_stats', 'time_remaining', 'value'),
  }),
  jobBytes('data', 'data', 'total'),
  jobBytes('data', 'data', 'processed'),
  jobBytes('data', 'data', 'remaining'),
  jobBytes('memory', 'memory', 'total'),
  jobBytes('memory', 'memory', 'processed'),
  jobBytes('memory', 'memory', 'remaining'),
  jobBytes('file', 'disk', 'total'),
  jobBytes('file', 'disk', 'processed'),
  jobBytes('file', 'disk', 'remaining'),
];
