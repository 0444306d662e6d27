/**
 * QMP wire shapes (qemu docs/interop/qmp-spec.rst) and typed results of the commands virtmon sends,
 * checked against QEMU 7.2's replies. Field names are QEMU's, including its mix of `-` and `_`.
 * Only what virtmon reads is typed; QEMU may send more (newer versions add fields).
 */

/** `{"QMP": {...}}`, the first line QEMU sends on a monitor connection. */
export interface QmpGreeting {
  readonly QMP: {
    readonly version: QmpVersionInfo;
    /** `oob` on QEMU 7.2; virtmon never enables it. */
    readonly capabilities: readonly string[];
  };
}

/** `query-version` and the greeting's `version`. */
export interface QmpVersionInfo {
  readonly qemu: { readonly major: number; readonly minor: number; readonly micro: number };
  /** Distribution build string, e.g. `Debian 1:7.2+dfsg-7+deb12u18+b3`. */
  readonly package: string;
}

/** A successful reply. */
export interface QmpReturnMessage {
  readonly return: unknown;
  readonly id?: unknown;
}

/** An error reply (`class` is e.g. GenericError, CommandNotFound, DeviceNotFound). */
export interface QmpErrorMessage {
  readonly error: { readonly class: string; readonly desc: string };
  readonly id?: unknown;
}

/** When QEMU emitted an event. */
export interface QmpTimestamp {
  readonly seconds: number;
  readonly microseconds: number;
}

/** ShutdownCause of SHUTDOWN and RESET (qapi/run-state.json). */
export type QmpShutdownCause =
  | 'none' | 'host-error' | 'host-qmp-quit' | 'host-qmp-system-reset' | 'host-signal' | 'host-ui'
  | 'guest-shutdown' | 'guest-reset' | 'guest-panic' | 'subsystem-reset' | 'snapshot-load';

/** Payloads of the events virtmon acts on. An event QEMU sends without `data` gets `{}`. */
export interface QmpEventDataMap {
  STOP: Record<string, never>;
  RESUME: Record<string, never>;
  POWERDOWN: Record<string, never>;
  SUSPEND: Record<string, never>;
  SUSPEND_DISK: Record<string, never>;
  WAKEUP: Record<string, never>;
  SHUTDOWN: { readonly guest: boolean; readonly reason: QmpShutdownCause };
  RESET: { readonly guest: boolean; readonly reason: QmpShutdownCause };
  BALLOON_CHANGE: { readonly actual: number };
  BLOCK_IO_ERROR: {
    readonly device: string;
    readonly 'node-name'?: string;
    readonly operation: 'read' | 'write';
    readonly action: 'ignore' | 'report' | 'stop';
    readonly nospace?: boolean;
    readonly reason: string;
  };
  DEVICE_DELETED: { readonly device?: string; readonly path: string };
  GUEST_PANICKED: { readonly action: 'pause' | 'poweroff' | 'run'; readonly info?: Record<string, unknown> };
  MIGRATION: { readonly status: QmpMigrationStatus };
  RTC_CHANGE: { readonly offset: number; readonly 'qom-path'?: string };
  WATCHDOG: { readonly action: string };
}

/** Names of the events with a typed payload. */
export type QmpKnownEventName = keyof QmpEventDataMap;

/** An event; `data` is typed for the names in {@link QmpEventDataMap}. */
export interface QmpEvent<N extends string = string> {
  readonly event: N;
  readonly data: N extends QmpKnownEventName ? QmpEventDataMap[N] : Readonly<Record<string, unknown>>;
  readonly timestamp: QmpTimestamp;
}

/** Every message a monitor can send, classified once by the decoder. */
export type QmpMessage =
  | { readonly kind: 'greeting'; readonly greeting: QmpGreeting }
  | { readonly kind: 'return'; readonly id: unknown; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: unknown; readonly errorClass: string; readonly desc: string }
  | { readonly kind: 'event'; readonly event: QmpEvent };

// --- results of the commands virtmon uses ---------------------------------------------------------

/** RunState (qapi/run-state.json). */
export type QmpRunState =
  | 'debug' | 'inmigrate' | 'internal-error' | 'io-error' | 'paused' | 'postmigrate' | 'prelaunch'
  | 'finish-migrate' | 'restore-vm' | 'running' | 'save-vm' | 'shutdown' | 'suspended' | 'watchdog'
  | 'guest-panicked' | 'colo';

/** `query-status`. */
export interface QmpStatusInfo {
  readonly running: boolean;
  readonly singlestep: boolean;
  readonly status: QmpRunState;
}

/** One element of `query-cpus-fast`. */
export interface QmpCpuInfoFast {
  readonly 'cpu-index': number;
  readonly 'qom-path': string;
  /** Host thread id of the vCPU (for schedstat and the `vcpuN` cgroups). */
  readonly 'thread-id': number;
  readonly props?: {
    readonly 'node-id'?: number;
    readonly 'socket-id'?: number;
    readonly 'die-id'?: number;
    readonly 'cluster-id'?: number;
    readonly 'core-id'?: number;
    readonly 'thread-id'?: number;
  };
  readonly target: string;
}

/** BlockDeviceStats: counters since the device was created (bytes, operations, ns). */
export interface QmpBlockDeviceStats {
  readonly rd_bytes: number;
  readonly wr_bytes: number;
  readonly unmap_bytes?: number;
  readonly rd_operations: number;
  readonly wr_operations: number;
  readonly flush_operations: number;
  readonly unmap_operations?: number;
  readonly rd_total_time_ns: number;
  readonly wr_total_time_ns: number;
  readonly flush_total_time_ns: number;
  readonly unmap_total_time_ns?: number;
  readonly wr_highest_offset: number;
  readonly rd_merged: number;
  readonly wr_merged: number;
  readonly unmap_merged?: number;
  /** Absent until the first I/O. */
  readonly idle_time_ns?: number;
  readonly failed_rd_operations: number;
  readonly failed_wr_operations: number;
  readonly failed_flush_operations: number;
  readonly failed_unmap_operations?: number;
  readonly invalid_rd_operations: number;
  readonly invalid_wr_operations: number;
  readonly invalid_flush_operations: number;
  readonly invalid_unmap_operations?: number;
  readonly account_invalid: boolean;
  readonly account_failed: boolean;
  readonly timed_stats: readonly unknown[];
}

/** One element of `query-blockstats`. With -blockdev, `device` is `""` and `qdev` is the QOM path of
 * the front end (`/machine/peripheral/virtio-disk0/virtio-backend` on QEMU 7.2), `node-name` the
 * top (format) node; `parent` holds the storage node's counters. */
export interface QmpBlockStats {
  readonly device?: string;
  readonly qdev?: string;
  readonly 'node-name'?: string;
  readonly stats: QmpBlockDeviceStats;
  readonly 'driver-specific'?: Readonly<Record<string, unknown>>;
  readonly parent?: QmpBlockStats;
  readonly backing?: QmpBlockStats;
}

/** ImageInfo inside BlockDeviceInfo. */
export interface QmpImageInfo {
  readonly filename: string;
  readonly format: string;
  readonly 'virtual-size': number;
  readonly 'actual-size'?: number;
  readonly 'cluster-size'?: number;
  readonly 'dirty-flag'?: boolean;
  readonly 'backing-filename'?: string;
  readonly 'format-specific'?: Readonly<Record<string, unknown>>;
}

/** One element of `query-named-block-nodes` (BlockDeviceInfo); also `inserted` of `query-block`. */
export interface QmpBlockDeviceInfo {
  readonly file: string;
  readonly 'node-name'?: string;
  readonly ro: boolean;
  readonly drv: string;
  readonly backing_file?: string;
  readonly backing_file_depth: number;
  readonly encrypted: boolean;
  readonly detect_zeroes: string;
  readonly image: QmpImageInfo;
  readonly cache: { readonly writeback: boolean; readonly direct: boolean; readonly 'no-flush': boolean };
  readonly write_threshold: number;
}

/** One element of `query-block` (BlockInfo). */
export interface QmpBlockInfo {
  readonly device: string;
  readonly qdev?: string;
  readonly type: string;
  readonly removable: boolean;
  readonly locked: boolean;
  readonly inserted?: QmpBlockDeviceInfo;
  readonly tray_open?: boolean;
  readonly 'io-status'?: 'ok' | 'failed' | 'nospace';
}

/** `query-balloon`: the guest's current memory, bytes. */
export interface QmpBalloonInfo {
  readonly actual: number;
}

/** Names of the balloon driver's guest statistics (bytes, or counts for faults and swap pages). */
export type QmpGuestStatName =
  | 'stat-swap-in' | 'stat-swap-out' | 'stat-major-faults' | 'stat-minor-faults' | 'stat-free-memory'
  | 'stat-total-memory' | 'stat-available-memory' | 'stat-disk-caches' | 'stat-htlb-pgalloc' | 'stat-htlb-pgfail';

/** `qom-get {path: <balloon>, property: "guest-stats"}`. `last-update` is 0 until the guest reported. */
export interface QmpGuestStats {
  readonly stats: Readonly<Record<QmpGuestStatName, number>>;
  readonly 'last-update': number;
}

/** QEMU reports a guest statistic it never received as 2^64-1, which JSON.parse rounds to 2^64. */
export const QMP_GUEST_STAT_UNAVAILABLE = 2 ** 64;

/** A guest statistic's value, or undefined when QEMU marks it unavailable. */
export function guestStatValue(value: number | undefined): number | undefined {
  return value === undefined || value >= QMP_GUEST_STAT_UNAVAILABLE || value < 0 ? undefined : value;
}

/** MigrationStatus. */
export type QmpMigrationStatus =
  | 'none' | 'setup' | 'cancelling' | 'cancelled' | 'active' | 'postcopy-active' | 'postcopy-paused'
  | 'postcopy-recover' | 'completed' | 'failed' | 'colo' | 'pre-switchover' | 'device' | 'wait-unplug';

/** `query-migrate` (MigrationInfo). `{}` when no migration ever ran. */
export interface QmpMigrationInfo {
  readonly status?: QmpMigrationStatus;
  readonly ram?: {
    readonly transferred: number;
    readonly remaining: number;
    readonly total: number;
    readonly duplicate?: number;
    readonly normal?: number;
    readonly 'normal-bytes'?: number;
    readonly 'dirty-pages-rate'?: number;
    readonly mbps?: number;
    readonly 'dirty-sync-count'?: number;
    readonly 'page-size'?: number;
  };
  readonly 'total-time'?: number;
  readonly 'expected-downtime'?: number;
  readonly downtime?: number;
  readonly 'setup-time'?: number;
  readonly 'error-desc'?: string;
}

/** Result types by command name: `client.execute('query-status')` is typed through this map. Commands
 * whose result depends on their arguments (`qom-get`) are not listed; pass the type, e.g.
 * `execute<QmpGuestStats>('qom-get', …)`. */
export interface QmpCommandResults {
  'qmp_capabilities': Record<string, never>;
  'query-status': QmpStatusInfo;
  'query-version': QmpVersionInfo;
  'query-cpus-fast': readonly QmpCpuInfoFast[];
  'query-blockstats': readonly QmpBlockStats[];
  'query-named-block-nodes': readonly QmpBlockDeviceInfo[];
  'query-block': readonly QmpBlockInfo[];
  'query-balloon': QmpBalloonInfo;
  'query-migrate': QmpMigrationInfo;
  'cont': Record<string, never>;
  'stop': Record<string, never>;
  'system_powerdown': Record<string, never>;
  'system_reset': Record<string, never>;
  'quit': Record<string, never>;
  'balloon': Record<string, never>;
}

/** A command with a typed result. */
export type QmpTypedCommand = keyof QmpCommandResults;
