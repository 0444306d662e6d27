/**
 * Domain states and reasons with libvirt's numbers (include/libvirt/libvirt-domain.h) and virsh's
 * strings (tools/virsh-domain-monitor.c). The numbers are ABI: they go unchanged into metrics,
 * SNMP and the API; strings are only for the edges (CLI, status page).
 */

/** virDomainState. */
export const DomainState = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4,
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;
export type DomainStateCode = (typeof DomainState)[keyof typeof DomainState];

/** virDomainRunningReason. */
export const RunningReason = {
  UNKNOWN: 0, BOOTED: 1, MIGRATED: 2, RESTORED: 3, FROM_SNAPSHOT: 4, UNPAUSED: 5, MIGRATION_CANCELED: 6,
  SAVE_CANCELED: 7, WAKEUP: 8, CRASHED: 9, POSTCOPY: 10, POSTCOPY_FAILED: 11,
} as const;

/** virDomainPausedReason. */
export const PausedReason = {
  UNKNOWN: 0, USER: 1, MIGRATION: 2, SAVE: 3, DUMP: 4, IOERROR: 5, WATCHDOG: 6, FROM_SNAPSHOT: 7,
  SHUTTING_DOWN: 8, SNAPSHOT: 9, CRASHED: 10, STARTING_UP: 11, POSTCOPY: 12, POSTCOPY_FAILED: 13, API_ERROR: 14,
} as const;

/** virDomainShutdownReason. */
export const ShutdownReason = { UNKNOWN: 0, USER: 1 } as const;

/** virDomainShutoffReason. */
export const ShutoffReason = {
  UNKNOWN: 0, SHUTDOWN: 1, DESTROYED: 2, CRASHED: 3, MIGRATED: 4, SAVED: 5, FAILED: 6, FROM_SNAPSHOT: 7, DAEMON: 8,
} as const;

/** virDomainCrashedReason. */
export const CrashedReason = { UNKNOWN: 0, PANICKED: 1 } as const;

/** virDomainPMSuspendedReason. */
export const PMSuspendedReason = { UNKNOWN: 0 } as const;

/** A state with its reason, as virDomainGetState returns it. */
export interface StateWithReason {
  readonly state: DomainStateCode;
  readonly reason: number;
}

const STATE_STRINGS: Record<DomainStateCode, string> = {
  0: 'no state',
  1: 'running',
  2: 'idle',
  3: 'paused',
  4: 'in shutdown',
  5: 'shut off',
  6: 'crashed',
  7: 'pmsuspended',
};

// Reason strings per state, indexed by reason number (virsh-domain-monitor.c).
const REASON_STRINGS: Record<DomainStateCode, readonly string[]> = {
  0: ['unknown'],
  1: ['unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled',
    'save canceled', 'event wakeup', 'crashed', 'post-copy', 'post-copy failed'],
  2: ['unknown'],
  3: ['unknown', 'user', 'migrating', 'saving', 'dumping', 'I/O error', 'watchdog', 'from snapshot',
    'shutting down', 'creating snapshot', 'crashed', 'starting up', 'post-copy', 'post-copy failed', 'api error'],
  4: ['unknown', 'user'],
  5: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon'],
  6: ['unknown', 'panicked'],
  7: ['unknown'],
};

/** True for a number that is a virDomainState. */
export function isDomainState(n: number): n is DomainStateCode {
  return Number.isInteger(n) && n >= 0 && n <= 7;
}

/** virsh's string for a state (`running`, `shut off`, …). */
export function stateToString(state: DomainStateCode): string {
  return STATE_STRINGS[state];
}

/** virsh's string for a reason of a state; out-of-range reasons read `unknown`, as virsh prints them. */
export function reasonToString(state: DomainStateCode, reason: number): string {
  return REASON_STRINGS[state][reason] ?? 'unknown';
}

/** Number of reasons defined for a state (for validation of wire values). */
export function reasonCount(state: DomainStateCode): number {
  return REASON_STRINGS[state].length;
}

/** Parses virsh's state string back (`shut off` → 5); undefined when unknown. */
export function stateFromString(text: string): DomainStateCode | undefined {
  for (const [code, str] of Object.entries(STATE_STRINGS)) {
    if (str === text) return Number(code) as DomainStateCode;
  }
  return undefined;
}

/** Active = has a running hypervisor process: every state but SHUTOFF (and NOSTATE of a never-started domain). */
export function isActiveState(state: DomainStateCode): boolean {
  return state !== DomainState.SHUTOFF && state !== DomainState.NOSTATE;
}
