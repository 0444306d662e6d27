/**
 * metrics.md §6: the agent's own metrics (`virtmon_*`). The agent fills them (prom-client objects or the
 * runner's records); the catalog only describes them so names, labels, help and OTel names stay in one place.
 */
import { otel, row } from './row.ts';
import type { RowInput } from './row.ts';
import type { MetricDef } from './types.ts';

type SelfInput = Pick<RowInput, 'name' | 'type' | 'unit' | 'help' | 'buckets' | 'otel'> & { readonly labelNames: readonly string[] };

/** Default histogram buckets for durations (seconds), from 1 ms to 30 s. */
export const DURATION_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function self(r: SelfInput): MetricDef {
  return row({
    ...r, source: 'agent', sourceKind: 'agent', conversion: 'none', feed: 'agent', group: 'self',
    labels: r.labelNames.length === 0 ? 'none' : 'custom',
  });
}

/** Agent self-metrics. */
export const SELF_METRICS: readonly MetricDef[] = [
  self({
    name: 'virtmon_build_info', type: 'info', unit: '–', labelNames: ['version', 'node_version'],
    help: 'virtmon build identity as labels, value 1: the virtmon version and the Node.js version it runs on.',
  }),
  self({
    name: 'virtmon_collector_duration_seconds', type: 'gauge', unit: 's', labelNames: ['collector'],
    help: 'Time the collector spent in the last collection cycle in seconds, summed over all domains it sampled.',
    otel: otel('virtmon.collector.duration', 'Gauge', 's', { labelAttributes: { collector: 'virtmon.collector.name' } }),
  }),
  self({
    name: 'virtmon_collector_success', type: 'gauge', unit: '0/1', labelNames: ['collector'],
    help: '1 when the collector got data for every domain it tried in the last cycle, else 0 (also 0 when it failed to initialise).',
    otel: otel('virtmon.collector.success', 'Gauge', '1', { labelAttributes: { collector: 'virtmon.collector.name' } }),
  }),
  self({
    name: 'virtmon_collection_cycle_duration_seconds', type: 'histogram', unit: 's', labelNames: [], buckets: DURATION_BUCKETS,
    help: 'Duration of full collection cycles in seconds (all collectors, all domains).',
    otel: otel('virtmon.collection.cycle.duration', 'Histogram', 's'),
  }),
  self({
    name: 'virtmon_collection_cycles_skipped_total', type: 'counter', unit: '1', labelNames: [],
    help: 'Collection cycles not started because the previous cycle was still running.',
  }),
  self({
    name: 'virtmon_domain_collections_skipped_total', type: 'counter', unit: '1', labelNames: ['domain'],
    help: 'Collections of the domain skipped because its previous sample was still in flight (its values are then served with libvirt_domain_stats_cached 1).',
  }),
  self({
    name: 'virtmon_errors_total', type: 'counter', unit: '1', labelNames: ['kind'],
    help: 'Collection errors by kind (timeout, qmp, monitor_closed, file, driver, internal), counted since the agent started.',
  }),
  self({
    name: 'virtmon_scrape_duration_seconds', type: 'histogram', unit: 's', labelNames: [], buckets: DURATION_BUCKETS,
    help: 'Time to render the /metrics response in seconds.',
  }),
  self({
    name: 'virtmon_qmp_command_duration_seconds', type: 'histogram', unit: 's', labelNames: ['command'], buckets: DURATION_BUCKETS,
    help: 'Round-trip time of QMP commands in seconds, by command name.',
  }),
  self({
    name: 'virtmon_qmp_timeouts_total', type: 'counter', unit: '1', labelNames: ['command'],
    help: 'QMP commands that hit their deadline, by command name.',
  }),
  self({
    name: 'virtmon_remediation_actions_total', type: 'counter', unit: '1', labelNames: ['domain', 'action', 'result'],
    help: 'Remediation actions by domain, action (suspend, resume, shutdown, reboot, reset, destroy, start, set-memory; operator/admin actions save, restore, managed-save, managed-save-remove, set-vcpus, attach-device, detach-device, set-autostart, define, create, undefine; notifications exec, webhook, trap, log) and result (success, failed, dry_run, refused, rate_limited); a no-op counts as success. Every source is counted: rules, Alertmanager, API, CLI, SNMP.',
    otel: otel('virtmon.remediation.actions', 'Counter', '{action}', {
      labelAttributes: { domain: 'libvirt.domain.name', action: 'virtmon.action.name', result: 'virtmon.action.result' },
    }),
  }),
  self({
    name: 'virtmon_alert_notifications_total', type: 'counter', unit: '1', labelNames: ['rule', 'severity'],
    help: 'Alert rule notifications by rule and severity (okay, warning, failure).',
  }),
  self({
    name: 'virtmon_snmp_pdus_total', type: 'counter', unit: '1', labelNames: ['pdu', 'result'],
    help: 'SNMP PDUs handled by type (get, getnext, getbulk, set, trap, inform) and result (ok, error, dropped).',
  }),
  self({
    name: 'virtmon_otlp_exports_total', type: 'counter', unit: '1', labelNames: ['result'],
    help: 'OTLP metric exports by result (ok, failed).',
  }),
];
