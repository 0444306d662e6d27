/**
 * The hook through which the qemu driver reports each QMP command's round trip, so the agent can feed
 * `virtmon_qmp_command_duration_seconds` and `virtmon_qmp_timeouts_total` without the driver knowing
 * about prom-client. The label set is fixed: a command virtmon does not know becomes `other`, so a
 * metric's cardinality never depends on what a caller passed to `execute`.
 */

/** How a command ended: a reply (`ok`), an error reply or lost connection (`error`), its deadline (`timeout`). */
export type QmpOutcome = 'ok' | 'error' | 'timeout';

/** Called once per QMP command when it settles, with the seconds from send to settle. Must not throw. */
export type QmpObserver = (command: string, seconds: number, outcome: QmpOutcome) => void;

/** The QMP commands virtmon sends (src/drivers/qemu and the collectors); the `command` label's values. */
export const QMP_COMMAND_LABELS: readonly string[] = [
  'qmp_capabilities', 'query-status', 'query-version', 'query-cpus-fast', 'query-blockstats', 'query-named-block-nodes',
  'query-block', 'query-balloon', 'query-migrate', 'cont', 'stop', 'system_powerdown', 'system_reset', 'quit', 'balloon',
  'qom-get', 'qom-set', 'blockdev-add', 'blockdev-del', 'device_add', 'device_del', 'netdev_add', 'netdev_del',
  'migrate', 'migrate-incoming', 'migrate-set-parameters', 'migrate_cancel',
];

const KNOWN: ReadonlySet<string> = new Set(QMP_COMMAND_LABELS);

/** The `command` label for a command name: itself when virtmon knows it, else `other`. */
export function qmpCommandLabel(command: string): string {
  return KNOWN.has(command) ? command : 'other';
}
