/**
 * The status page's data: what `/status.json` and the event stream send, and the optional providers the
 * agent passes in for the parts the snapshot does not hold (alert states, recent actions).
 */
import type { SnapshotView } from '../../snapshot/types.ts';

/** One alert rule's state as the alerts engine reports it. */
export interface StatusAlert {
  readonly name: string;
  /** `firing`, `pending`, `inactive` or the engine's own word. */
  readonly state: string;
  readonly severity?: string;
  readonly domain?: string;
  /** Wall-clock ms the alert entered its state. */
  readonly since?: number;
  readonly summary?: string;
}

/** One action taken on a domain (from the Actions service's audit trail). */
export interface StatusAction {
  /** Wall-clock ms. */
  readonly time: number;
  readonly domain: string;
  readonly action: string;
  readonly result: string;
  readonly actor?: string;
  readonly reason?: string;
}

/** One collector's health line. */
export interface StatusCollector {
  readonly name: string;
  readonly success: boolean;
  readonly durationSeconds: number;
  readonly intervalMs: number;
}

/** A provider may answer synchronously or with a promise. */
export type Provider<T> = () => readonly T[] | Promise<readonly T[]>;

/** Options of the status plugin; only `snapshot` is required. */
export interface StatusPluginOptions {
  readonly snapshot: SnapshotView;
  /** Points of history kept per domain (default 120, at most 10,000). */
  readonly historySize?: number;
  readonly alerts?: Provider<StatusAlert>;
  readonly actions?: Provider<StatusAction>;
  /** Default: the snapshot's collector health. */
  readonly collectors?: Provider<StatusCollector>;
  /** Where the Prometheus endpoint is, for the page's link (default `/metrics`). */
  readonly metricsPath?: string;
  /** Page title (default `virtmon`). */
  readonly title?: string;
  /** Wall clock in ms (tests). */
  readonly now?: () => number;
  /** Fewest ms between two pushes on one event stream (default 250): bursts of snapshot changes coalesce. */
  readonly pushIntervalMs?: number;
}

/** One history point of a domain; a value is absent when it could not be computed (first sample, reset). */
export interface HistoryPoint {
  /** Sample time, wall-clock ms. */
  readonly t: number;
  /** CPU time as % of the online vCPUs. */
  readonly cpu?: number;
  /** Balloon size in bytes. */
  readonly mem?: number;
  /** Disk read + write bytes per second. */
  readonly disk?: number;
  /** Network receive + transmit bytes per second. */
  readonly net?: number;
}

/**
 * History points of one domain in columns (oldest first), values rounded for transport: CPU % to 0.1,
 * bytes and bytes/s to integers; `null` where a point has no value.
 */
export interface HistoryColumns {
  readonly t: number[];
  readonly cpu: (number | null)[];
  readonly mem: (number | null)[];
  readonly disk: (number | null)[];
  readonly net: (number | null)[];
}

/** One domain on the page. */
export interface DomainStatus {
  readonly uuid: string;
  readonly name: string;
  readonly state: number;
  readonly stateText: string;
  readonly active: boolean;
  readonly cached: boolean;
  readonly timedOut: boolean;
  readonly vcpus?: number;
  readonly maxMemoryBytes?: number;
  readonly latest?: HistoryPoint;
  /** Points newer than what the client said it has (all of them for a first request). */
  readonly history: HistoryColumns;
}

/** The whole page state. */
export interface StatusDocument {
  readonly title: string;
  readonly generatedAt: number;
  readonly version: number;
  readonly metricsPath: string;
  /** Points the server keeps per domain; the client trims its own copy to this. */
  readonly historySize: number;
  readonly up: boolean;
  readonly domainCount: number;
  readonly domains: readonly DomainStatus[];
  readonly collectors: readonly StatusCollector[];
  /** `undefined` when no provider is wired (the page says "not configured"). */
  readonly alerts?: readonly StatusAlert[];
  readonly actions?: readonly StatusAction[];
}
