/**
 * `virtmon_qmp_command_duration_seconds` and `virtmon_qmp_timeouts_total` on the agent's registry, fed
 * by the qemu driver's QMP observer (OpenOptions.qmpObserver). Registered before the driver opens, so
 * the commands of the reconnect at open are counted too. The `command` label is bounded by
 * {@link qmpCommandLabel} (unknown names become `other`).
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS, metric } from '../../catalog/metrics.ts';
import { qmpCommandLabel, type QmpObserver } from '../../domain/qmp-observer.ts';

/** Registers the two QMP metrics on `registry` and returns the observer that feeds them. */
export function qmpMetricsObserver(registry: Registry): QmpObserver {
  const labelled = (name: string) => ({ name, help: metric(name).help, labelNames: ['command'] as const, registers: [registry] });
  const duration = new Histogram({ ...labelled('virtmon_qmp_command_duration_seconds'), buckets: [...DURATION_BUCKETS] });
  const timeouts = new Counter(labelled('virtmon_qmp_timeouts_total'));
  return (command, seconds, outcome) => {
    const label = { command: qmpCommandLabel(command) };
    duration.observe(label, seconds);
    if (outcome === 'timeout') timeouts.inc(label);
  };
}
