/**
 * The runtime side of an active qemu domain (libvirt's qemuDomainObjPrivate): the QEMU process, its
 * monitor, host resources (taps, cgroups, sockets) and the flags the event-driven state machine reads.
 * One QemuRun per QEMU process: event handlers and background jobs capture the run they belong to and
 * do nothing once the domain runs a different one (or none).
 */
import type { ChildProcess } from 'node:child_process';
import type { StatsDisk } from '../../domain/stats-target.ts';
import type { LifecycleTypeCode } from '../../domain/events.ts';
import type { LaunchedNic } from './argv-devices.ts';
import type { CgroupRecord } from './cgroup.ts';
import type { JobLock } from './job-lock.ts';
import type { QmpClient } from './qmp/client.ts';
import type { TapRecord } from './tap.ts';

/** What a RESUME should do: the running reason and the lifecycle event (none for `undefined`). */
export interface RunningIntent {
  readonly reason: number;
  readonly event: { readonly type: LifecycleTypeCode; readonly detail: number } | undefined;
}

/** libvirt's control state (virDomainControlState): OK, JOB, OCCUPIED, ERROR. */
export type ControlState = 'ok' | 'error';

/** A long job that a reconnect must finish or cancel (libvirt's async job). */
export type AsyncJob = 'start' | 'save' | 'restore';

/** One QEMU process of a domain. */
export interface QemuRun {
  /** 0 until QEMU is spawned. */
  pid: number;
  /** /proc/PID/stat start time: tells our QEMU from a later process that got the same pid. */
  pidStartTicks: number;
  /** Wall-clock ms when the process was started (kept across agent restarts). */
  readonly startedAt: number;
  readonly domainDir: string;
  readonly monitorPath: string;
  readonly pidfile: string;
  readonly logPath: string;
  taps: TapRecord[];
  cgroup: CgroupRecord | undefined;
  vcpuTids: number[];
  disks: StatsDisk[];
  nics: LaunchedNic[];
  balloon: { readonly id: string; readonly qomPath: string } | undefined;
  /** The monitor while connected. */
  qmp: QmpClient | undefined;
  control: ControlState;
  /** Set by destroy before it signals QEMU: the exit is "destroyed", not "crashed". */
  beingDestroyed: boolean;
  /** The driver itself stops QEMU (save, failed start): the monitor's EOF is expected. */
  stopping: boolean;
  /** QEMU reported SHUTDOWN: its exit is a shutdown, not a crash. */
  gotShutdown: boolean;
  /** The next SHUTDOWN is a reboot (virDomainReboot, on_poweroff=restart). */
  fakeReboot: boolean;
  /** A fake reboot is under way: the STOP that -no-shutdown sends is not a pause. */
  pausedShutdown: boolean;
  /** The paused reason our next `stop` records; undefined = unknown (a STOP we did not ask for). */
  pausedIntent: number | undefined;
  /** What our next `cont` means; undefined = RUNNING/unpaused with RESUMED/UNPAUSED. */
  runningIntent: RunningIntent | undefined;
  asyncJob: AsyncJob | undefined;
  /** Aliases whose device_del timed out: finished when DEVICE_DELETED arrives. */
  readonly pendingUnplug: Map<string, () => Promise<void>>;
  /** Stop processing has begun: nothing else may act on this run. */
  finished: boolean;
  /** Present when this process spawned QEMU (fast exit detection during launch). */
  child: ChildProcess | undefined;
  /** Timer of the monitor reconnect loop while control is 'error'. */
  reconnectTimer: NodeJS.Timeout | undefined;
}

/** A fresh run record for a process about to be (or just) spawned. */
export function newRun(fields: Pick<QemuRun, 'pid' | 'pidStartTicks' | 'startedAt' | 'domainDir' | 'monitorPath' | 'pidfile' | 'logPath'>): QemuRun {
  return {
    ...fields,
    taps: [], cgroup: undefined, vcpuTids: [], disks: [], nics: [], balloon: undefined,
    qmp: undefined, control: 'ok',
    beingDestroyed: false, stopping: false, gotShutdown: false, fakeReboot: false, pausedShutdown: false,
    pausedIntent: undefined, runningIntent: undefined, asyncJob: undefined,
    pendingUnplug: new Map(), finished: false, child: undefined, reconnectTimer: undefined,
  };
}

/** The driver's private data on each domain object. */
export interface QemuDomainPriv {
  readonly jobs: JobLock;
  run: QemuRun | undefined;
  /** Destroy when the connection that started it closes (VIR_DOMAIN_START_AUTODESTROY). */
  autodestroy: boolean;
}
