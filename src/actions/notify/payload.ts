/**
 * The wire forms of a notification: the JSON body of webhooks and exec hooks, collectd's
 * NotificationExec stdin (byte-compatible: headers, meta lines, blank line, message; collectd.md §6),
 * and the environment of exec hooks (COLLECTD_INTERVAL, COLLECTD_HOSTNAME, VIRTMON_*).
 */
import type { Notification, NotifyContext } from './types.ts';

/** JSON body posted to webhooks and written to exec hooks in `json` format. */
export function notificationJson(n: Notification, ctx: NotifyContext): Record<string, unknown> {
  return {
    version: 1,
    source: ctx.source,
    dryRun: ctx.dryRun,
    severity: n.severity,
    previous: n.previous,
    time: n.time / 1000,
    rule: n.rule,
    domain: n.domain.name,
    uuid: n.domain.uuid,
    metric: n.metric,
    labels: n.labels,
    rate: n.rate,
    ...(n.value === undefined ? {} : { value: n.value }),
    thresholds: n.thresholds,
    missing: n.missing,
    repeat: n.repeat === true,
    message: n.message,
    // collectd's notification_t identity, for consumers written against collectd.
    collectd: { host: n.domain.name, plugin: 'virt', type: n.metric, severity: n.severity.toUpperCase() },
  };
}

/** collectd's `%e` (C printf): mantissa with 6 decimals and a two-digit signed exponent. */
export function printfE(v: number): string {
  const [mant, exp] = v.toExponential(6).split('e');
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** NotificationExec's stdin, as collectd writes it (exec.c: exec_notification_one). */
export function collectdStdin(n: Notification): string {
  const lines = [`Severity: ${n.severity.toUpperCase()}`, `Time: ${(n.time / 1000).toFixed(3)}`, `Host: ${n.domain.name}`, 'Plugin: virt', `Type: ${n.metric}`];
  const device = Object.values(n.labels).join(',');
  if (device !== '') lines.push(`TypeInstance: ${device}`);
  lines.push('DataSource: value');
  if (n.value !== undefined) lines.push(`CurrentValue: ${printfE(n.value)}`);
  const t = n.thresholds;
  if (t.warningMin !== undefined) lines.push(`WarningMin: ${printfE(t.warningMin)}`);
  if (t.warningMax !== undefined) lines.push(`WarningMax: ${printfE(t.warningMax)}`);
  if (t.failureMin !== undefined) lines.push(`FailureMin: ${printfE(t.failureMin)}`);
  if (t.failureMax !== undefined) lines.push(`FailureMax: ${printfE(t.failureMax)}`);
  lines.push(`DomainUUID: ${n.domain.uuid}`, `Rule: ${n.rule}`);
  return `${lines.join('\n')}\n\n${n.message}\n`;
}

/** The environment of an exec hook: only these variables plus PATH, never the agent's own environment. */
export function execEnv(n: Notification, hostname: string): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    COLLECTD_INTERVAL: String(n.intervalSeconds),
    COLLECTD_HOSTNAME: hostname,
    VIRTMON_DOMAIN: n.domain.name,
    VIRTMON_DOMAIN_UUID: n.domain.uuid,
    VIRTMON_RULE: n.rule,
    VIRTMON_SEVERITY: n.severity.toUpperCase(),
    VIRTMON_METRIC: n.metric,
    ...(n.value === undefined ? {} : { VIRTMON_VALUE: String(n.value) }),
  };
}
