/**
 * Notifications in collectd's words (collectd.md §5): `Domain D, metric M: Value is currently X. That is
 * above the failure threshold of Y.`, `… has not been updated for N seconds.`, and on recovery
 * `All data sources are within range again` / `Value is no longer missing.`
 */
import type { Notification, Severity } from '../actions/notify/types.ts';
import type { ResolvedRule } from './rules.ts';
import { describeValue, type Side } from './thresholds.ts';

/** What the engine saw for the worst series of a sample. */
export type Observation =
  | {
    readonly kind: 'value'; readonly value: number; readonly labels: Readonly<Record<string, string>>;
    readonly severity: Severity; readonly side: Side; readonly bound?: number; readonly wasMissing: boolean;
  }
  | { readonly kind: 'missing'; readonly sinceMs: number };

/** Inputs of {@link buildNotification}. */
export interface NotificationInput {
  readonly rule: ResolvedRule;
  readonly domain: { readonly name: string; readonly uuid: string };
  readonly observation: Observation;
  readonly severity: Severity;
  readonly previous: Severity;
  readonly repeat: boolean;
  readonly time: number;
  readonly intervalMs: number;
}

/** Builds the notification of a transition or a repeat. */
export function buildNotification(i: NotificationInput): Notification {
  const { rule, observation: o } = i;
  const labels = o.kind === 'value' ? o.labels : {};
  const device = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  const subject = `Domain ${i.domain.name}, metric ${rule.metric.name}${device === '' ? '' : ` (${device})`}${rule.rate ? ' rate' : ''}`;
  let text: string;
  if (o.kind === 'missing') {
    text = `${subject} has not been updated for ${Math.round(o.sinceMs / 1000)} seconds.`;
  } else if (i.severity === 'okay' && o.wasMissing) {
    text = `${subject}: Value is no longer missing.`;
  } else {
    text = `${subject}: ${describeValue(o.value, i.severity, o.side, o.bound, rule.thresholds.invert)}`;
  }
  const t = rule.thresholds;
  return {
    severity: i.severity, previous: i.previous, time: i.time, rule: rule.name, domain: i.domain,
    metric: rule.metric.name, labels, rate: rule.rate, missing: o.kind === 'missing', message: text,
    intervalSeconds: i.intervalMs / 1000,
    ...(o.kind === 'value' ? { value: o.value } : {}),
    thresholds: {
      ...(t.warning.min === undefined ? {} : { warningMin: t.warning.min }),
      ...(t.warning.max === undefined ? {} : { warningMax: t.warning.max }),
      ...(t.failure.min === undefined ? {} : { failureMin: t.failure.min }),
      ...(t.failure.max === undefined ? {} : { failureMax: t.failure.max }),
    },
    ...(i.repeat ? { repeat: true } : {}),
  };
}
