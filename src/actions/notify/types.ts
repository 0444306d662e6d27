/**
 * The notification contract (collectd.md §5, §6): what an alert transition tells the outside world
 * through the notification actions (webhook, exec hook, SNMP trap, log). Field names follow collectd's
 * notification_t so NotificationExec scripts and webhook consumers see the same facts.
 */

/** collectd's severities (FAILURE 1, WARNING 2, OKAY 4), lower-case as in our metrics. */
export type Severity = 'okay' | 'warning' | 'failure';

/** collectd's numeric severity codes. */
export const SEVERITY_CODE: Readonly<Record<Severity, number>> = { failure: 1, warning: 2, okay: 4 };

/** One notification. */
export interface Notification {
  readonly severity: Severity;
  /** The severity before this transition. */
  readonly previous: Severity;
  /** Epoch ms. */
  readonly time: number;
  /** The rule that fired, or `alertmanager:<alertname>`. */
  readonly rule: string;
  readonly domain: { readonly name: string; readonly uuid: string };
  /** Catalog metric the rule watches, and its non-domain labels (target_device, vcpu). */
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The value compared (a per-second rate for counters), when there was one. */
  readonly value?: number;
  readonly rate: boolean;
  readonly thresholds: {
    readonly warningMin?: number; readonly warningMax?: number;
    readonly failureMin?: number; readonly failureMax?: number;
  };
  /** True when the state comes from missing data. */
  readonly missing: boolean;
  /** collectd-style one-line message. */
  readonly message: string;
  /** The collection interval, seconds (COLLECTD_INTERVAL). */
  readonly intervalSeconds: number;
  /** Set when the notification is a repeat (`persist`), not a transition. */
  readonly repeat?: boolean;
}

/** Who sends a notification and how (for audit and dry-run). */
export interface NotifyContext {
  readonly source: 'rule' | 'alertmanager';
  readonly actor: string;
  readonly dryRun: boolean;
}

/** A webhook target. */
export interface WebhookTarget {
  readonly name: string;
  readonly url: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** An exec hook. */
export interface ExecTarget {
  readonly name: string;
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly allowRoot: boolean;
  /** stdin: the JSON body, or collectd's NotificationExec text. */
  readonly format: 'json' | 'collectd';
}
