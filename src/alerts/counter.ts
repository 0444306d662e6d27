/** `virtmon_alert_notifications_total{rule,severity}` (metrics.md §6) on a registry passed in. */
import { Counter, type Registry } from 'prom-client';
import type { Severity } from '../actions/notify/types.ts';
import { metric } from '../catalog/metrics.ts';

/** Counts one notification (a transition or a persist repeat). */
export type CountNotification = (rule: string, severity: Severity) => void;

/** Registers the counter on `registry` and returns the function that increments it. */
export function notificationCounter(registry: Registry): CountNotification {
  const def = metric('virtmon_alert_notifications_total');
  const existing = registry.getSingleMetric(def.name);
  const counter = existing instanceof Counter
    ? existing as Counter<'rule' | 'severity'>
    : new Counter({ name: def.name, help: def.help, labelNames: ['rule', 'severity'] as const, registers: [registry] });
  return (rule, severity) => { counter.inc({ rule, severity }); };
}
