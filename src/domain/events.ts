/**
 * Domain events with libvirt's ids, lifecycle types and details (libvirt-domain.h), plus the strings
 * `virsh event` prints. Drivers emit them; the agent fans them out to the snapshot, SNMP traps, alert
 * rules and the API's event stream.
 */
import type { DomainRef } from './domain-ref.ts';

/** virDomainEventID (the ones virtmon emits). */
export const EventId = {
  LIFECYCLE: 0,
  REBOOT: 1,
  RTC_CHANGE: 2,
  WATCHDOG: 3,
  IO_ERROR: 4,
  CONTROL_ERROR: 7,
  BALLOON_CHANGE: 13,
  DEVICE_REMOVED: 15,
  DEVICE_ADDED: 19,
  DEVICE_REMOVAL_FAILED: 22,
  METADATA_CHANGE: 23,
} as const;
export type EventIdCode = (typeof EventId)[keyof typeof EventId];

/** virDomainEventType. */
export const LifecycleType = {
  DEFINED: 0,
  UNDEFINED: 1,
  STARTED: 2,
  SUSPENDED: 3,
  RESUMED: 4,
  STOPPED: 5,
  SHUTDOWN: 6,
  PMSUSPENDED: 7,
  CRASHED: 8,
} as const;
export type LifecycleTypeCode = (typeof LifecycleType)[keyof typeof LifecycleType];

export const DefinedDetail = { ADDED: 0, UPDATED: 1, RENAMED: 2, FROM_SNAPSHOT: 3 } as const;
export const UndefinedDetail = { REMOVED: 0, RENAMED: 1 } as const;
export const StartedDetail = { BOOTED: 0, MIGRATED: 1, RESTORED: 2, FROM_SNAPSHOT: 3, WAKEUP: 4 } as const;
export const SuspendedDetail = {
  PAUSED: 0, MIGRATED: 1, IOERROR: 2, WATCHDOG: 3, RESTORED: 4, FROM_SNAPSHOT: 5, API_ERROR: 6, POSTCOPY: 7,
  POSTCOPY_FAILED: 8,
} as const;
export const ResumedDetail = { UNPAUSED: 0, MIGRATED: 1, FROM_SNAPSHOT: 2, POSTCOPY: 3, POSTCOPY_FAILED: 4 } as const;
export const StoppedDetail = {
  SHUTDOWN: 0, DESTROYED: 1, CRASHED: 2, MIGRATED: 3, SAVED: 4, FAILED: 5, FROM_SNAPSHOT: 6,
} as const;
export const ShutdownDetail = { FINISHED: 0, GUEST: 1, HOST: 2 } as const;
export const PMSuspendedDetail = { MEMORY: 0, DISK: 1 } as const;
export const CrashedDetail = { PANICKED: 0, CRASHLOADED: 1 } as const;

// virsh event's strings (tools/virsh-domain-event.c).
const TYPE_STRINGS: Record<LifecycleTypeCode, string> = {
  0: 'Defined', 1: 'Undefined', 2: 'Started', 3: 'Suspended', 4: 'Resumed', 5: 'Stopped', 6: 'Shutdown',
  7: 'PMSuspended', 8: 'Crashed',
};
const DETAIL_STRINGS: Record<LifecycleTypeCode, readonly string[]> = {
  0: ['Added', 'Updated', 'Renamed', 'Snapshot'],
  1: ['Removed', 'Renamed'],
  2: ['Booted', 'Migrated', 'Restored', 'Snapshot', 'Event wakeup'],
  3: ['Paused', 'Migrated', 'I/O Error', 'Watchdog', 'Restored', 'Snapshot', 'API error', 'Post-copy',
    'Post-copy Error'],
  4: ['Unpaused', 'Migrated', 'Snapshot', 'Post-copy', 'Post-copy Error'],
  5: ['Shutdown', 'Destroyed', 'Crashed', 'Migrated', 'Saved', 'Failed', 'Snapshot'],
  6: ['Finished', 'Finished after guest request', 'Finished after host request'],
  7: ['Memory', 'Disk'],
  8: ['Panicked', 'Crashloaded'],
};

/** `virsh event --event lifecycle` wording: `Suspended Paused`. */
export function lifecycleToString(type: LifecycleTypeCode, detail: number): string {
  return `${TYPE_STRINGS[type]} ${DETAIL_STRINGS[type][detail] ?? 'Unknown'}`;
}

/** A lowercase name for a lifecycle type, as used in JSON and logs (`suspended`). */
export function lifecycleTypeName(type: LifecycleTypeCode): string {
  return TYPE_STRINGS[type].toLowerCase();
}

/** Fields every event has. */
interface EventBase {
  readonly domain: DomainRef;
  /** Wall-clock milliseconds since the epoch when the driver observed it. */
  readonly time: number;
}

/** A lifecycle event (VIR_DOMAIN_EVENT_ID_LIFECYCLE). */
export interface LifecycleEvent extends EventBase {
  readonly kind: 'lifecycle';
  readonly type: LifecycleTypeCode;
  readonly detail: number;
}

/** The guest or the host reset the VM (VIR_DOMAIN_EVENT_ID_REBOOT). */
export interface RebootEvent extends EventBase {
  readonly kind: 'reboot';
}

/** The balloon reached a new size (VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE), in KiB. */
export interface BalloonChangeEvent extends EventBase {
  readonly kind: 'balloon-change';
  readonly actualKiB: number;
}

/** A device was hot-plugged or removed (DEVICE_ADDED / DEVICE_REMOVED), by alias. */
export interface DeviceEvent extends EventBase {
  readonly kind: 'device-added' | 'device-removed';
  readonly alias: string;
}

/** A block I/O error (VIR_DOMAIN_EVENT_ID_IO_ERROR); action is QEMU's (`stop`, `report`, `ignore`). */
export interface IoErrorEvent extends EventBase {
  readonly kind: 'io-error';
  readonly device: string;
  readonly action: string;
  readonly reason: string;
}

/** The monitor connection failed (VIR_DOMAIN_EVENT_ID_CONTROL_ERROR). */
export interface ControlErrorEvent extends EventBase {
  readonly kind: 'control-error';
}

/** Any domain event. */
export type DomainEvent =
  | LifecycleEvent
  | RebootEvent
  | BalloonChangeEvent
  | DeviceEvent
  | IoErrorEvent
  | ControlErrorEvent;

/** A listener of domain events; it must not throw (exceptions are caught and logged by the emitter). */
export type DomainEventListener = (event: DomainEvent) => void;
