/**
 * The event-driven state machine (libvirt-semantics.md §5, src/qemu/qemu_process.c handlers): QMP
 * events change state and reason and emit domain events; API calls only record what they intend
 * (run.pausedIntent, run.runningIntent, run.fakeReboot) before sending the command that causes them.
 * Every handler first checks that its run is still the domain's current one.
 */
import {
  CrashedDetail, LifecycleType, PMSuspendedDetail, ResumedDetail, ShutdownDetail, StartedDetail, StoppedDetail,
  SuspendedDetail,
} from '../../domain/events.ts';
import {
  CrashedReason, DomainState, PausedReason, PMSuspendedReason, RunningReason, ShutdownReason, ShutoffReason,
} from '../../domain/states.ts';
import type { IoErrorEvent } from '../../domain/events.ts';
import type { QemuDomain, QemuHost } from './host.ts';
import { killPainfully, signal } from './proc.ts';
import type { QmpClient } from './qmp/client.ts';
import type { QmpEvent } from './qmp/types.ts';
import type { QemuRun } from './run.ts';
import { stopRun } from './stop.ts';

/** SUSPENDED detail for a paused reason (qemuDomainPausedReasonToSuspendedEvent). */
export function suspendedDetailOf(reason: number): number {
  switch (reason) {
    case PausedReason.MIGRATION: return SuspendedDetail.MIGRATED;
    case PausedReason.IOERROR: return SuspendedDetail.IOERROR;
    case PausedReason.WATCHDOG: return SuspendedDetail.WATCHDOG;
    case PausedReason.API_ERROR: return SuspendedDetail.API_ERROR;
    case PausedReason.POSTCOPY: return SuspendedDetail.POSTCOPY;
    case PausedReason.POSTCOPY_FAILED: return SuspendedDetail.POSTCOPY_FAILED;
    default: return SuspendedDetail.PAUSED;
  }
}

/** Subscribes the state machine to a monitor. Call before connect() so no event is missed. */
export function attachEventHandlers(host: QemuHost, obj: QemuDomain, run: QemuRun, qmp: QmpClient): void {
  const current = (): boolean => obj.priv.run === run && !run.finished;
  const on = <N extends string>(name: N, fn: (e: QmpEvent<N>) => void): void => {
    qmp.onEvent(name, (e) => {
      if (current()) fn(e);
    });
  };
  on('STOP', () => { onStop(host, obj, run); });
  on('RESUME', () => { onResume(host, obj, run); });
  on('SHUTDOWN', (e) => { onShutdown(host, obj, run, e); });
  on('RESET', () => {
    if (obj.state !== DomainState.PAUSED) host.emit({ kind: 'reboot', domain: obj.ref, time: host.clock() });
  });
  on('SUSPEND', () => { transition(host, obj, DomainState.PMSUSPENDED, PMSuspendedReason.UNKNOWN, LifecycleType.PMSUSPENDED, PMSuspendedDetail.MEMORY); });
  on('SUSPEND_DISK', () => { transition(host, obj, DomainState.PMSUSPENDED, PMSuspendedReason.UNKNOWN, LifecycleType.PMSUSPENDED, PMSuspendedDetail.DISK); });
  on('WAKEUP', () => {
    if (obj.state === DomainState.PMSUSPENDED) transition(host, obj, DomainState.RUNNING, RunningReason.WAKEUP, LifecycleType.STARTED, StartedDetail.WAKEUP);
  });
  on('GUEST_PANICKED', () => { onPanic(host, obj, run); });
  on('BALLOON_CHANGE', (e) => {
    const kib = Math.floor(e.data.actual / 1024);
    obj.def = { ...obj.def, currentMemoryKiB: kib };
    host.emit({ kind: 'balloon-change', domain: obj.ref, time: host.clock(), actualKiB: kib });
    host.saveStatusLater(obj);
  });
  on('BLOCK_IO_ERROR', (e) => { onIoError(host, obj, run, e); });
  on('DEVICE_DELETED', (e) => {
    const alias = e.data.device;
    const finish = alias === undefined ? undefined : run.pendingUnplug.get(alias);
    if (alias === undefined || finish === undefined) return;
    run.pendingUnplug.delete(alias);
    host.spawnBackground(`finishing the removal of ${alias}`, obj, () => host.internalJob(obj, 'device removal', finish));
  });
}

/** Sets state and reason, emits one lifecycle event, writes the status file. */
function transition(host: QemuHost, obj: QemuDomain, state: (typeof DomainState)[keyof typeof DomainState], reason: number, type: (typeof LifecycleType)[keyof typeof LifecycleType], detail: number): void {
  obj.setState(state, reason);
  host.lifecycle(obj, type, detail);
  host.saveStatusLater(obj);
}

function onStop(host: QemuHost, obj: QemuDomain, run: QemuRun): void {
  if (obj.state !== DomainState.RUNNING || run.pausedShutdown) return;
  const reason = run.pausedIntent ?? PausedReason.UNKNOWN;
  run.pausedIntent = undefined;
  transition(host, obj, DomainState.PAUSED, reason, LifecycleType.SUSPENDED, suspendedDetailOf(reason));
}

function onResume(host: QemuHost, obj: QemuDomain, run: QemuRun): void {
  if (!obj.isActive() || obj.state === DomainState.RUNNING || obj.state === DomainState.SHUTDOWN) return;
  const intent = run.runningIntent ?? { reason: RunningReason.UNPAUSED, event: { type: LifecycleType.RESUMED, detail: ResumedDetail.UNPAUSED } };
  run.runningIntent = undefined;
  obj.setState(DomainState.RUNNING, intent.reason);
  if (intent.event !== undefined) host.lifecycle(obj, intent.event.type, intent.event.detail);
  host.saveStatusLater(obj);
}

function onShutdown(host: QemuHost, obj: QemuDomain, run: QemuRun, e: QmpEvent<'SHUTDOWN'>): void {
  if (run.gotShutdown || obj.state === DomainState.SHUTDOWN) return; // repeated SHUTDOWN
  run.gotShutdown = true;
  if (run.beingDestroyed || run.stopping) return;
  const poweroffRestarts = obj.def.onPoweroff === 'restart' || obj.def.onPoweroff === 'rename-restart';
  if (run.fakeReboot || (poweroffRestarts && e.data.reason !== 'host-signal')) {
    // A reboot: QEMU's shutdown state is transient, so neither the state nor an event changes.
    run.pausedShutdown = true;
    host.spawnBackground('fake reboot', obj, () => fakeReboot(host, obj, run));
    return;
  }
  obj.setState(DomainState.SHUTDOWN, ShutdownReason.UNKNOWN);
  host.lifecycle(obj, LifecycleType.SHUTDOWN, e.data.guest === true ? ShutdownDetail.GUEST : e.data.guest === false ? ShutdownDetail.HOST : ShutdownDetail.FINISHED);
  host.saveStatusLater(obj);
  // -no-shutdown keeps QEMU alive: end it; its exit (monitor EOF) completes the shutdown.
  signal(run.pid, 'SIGTERM');
}

/** libvirt's qemuProcessFakeReboot: system_reset, then cont, state unchanged. */
export async function fakeReboot(host: QemuHost, obj: QemuDomain, run: QemuRun): Promise<void> {
  await host.internalJob(obj, 'fake reboot', async () => {
    const qmp = run.qmp;
    if (obj.priv.run !== run || run.finished || qmp === undefined) return;
    await qmp.execute('system_reset');
    run.gotShutdown = false;
    const status = await qmp.execute('query-status');
    if (!status.running) {
      const crashed = obj.state === DomainState.CRASHED;
      run.runningIntent = { reason: crashed ? RunningReason.CRASHED : RunningReason.BOOTED, event: undefined };
      await qmp.execute('cont');
    }
    run.pausedShutdown = false;
    run.fakeReboot = false;
    await host.saveStatus(obj);
  });
}

function onPanic(host: QemuHost, obj: QemuDomain, run: QemuRun): void {
  transition(host, obj, DomainState.CRASHED, CrashedReason.PANICKED, LifecycleType.CRASHED, CrashedDetail.PANICKED);
  switch (obj.def.onCrash) {
    case 'destroy':
    case 'coredump-destroy':
      run.stopping = true;
      host.spawnBackground('stopping a panicked domain', obj, () => host.internalJob(obj, 'on_crash destroy', async () => {
        await killPainfully(run.pid, run.pidStartTicks);
        await stopRun(host, obj, run, ShutoffReason.CRASHED, StoppedDetail.CRASHED);
      }));
      return;
    case 'restart':
    case 'coredump-restart':
    case 'rename-restart':
      run.fakeReboot = true;
      host.spawnBackground('rebooting a panicked domain', obj, () => fakeReboot(host, obj, run));
      return;
    case 'preserve':
      return;
  }
}

function onIoError(host: QemuHost, obj: QemuDomain, run: QemuRun, e: QmpEvent<'BLOCK_IO_ERROR'>): void {
  const node = e.data['node-name'];
  const disk = run.disks.find((d) => (node !== undefined && d.formatNode === node) || (e.data.device !== '' && d.qdevId === e.data.device));
  const event: IoErrorEvent = {
    kind: 'io-error', domain: obj.ref, time: host.clock(),
    device: disk?.target ?? (e.data.device !== '' ? e.data.device : (node ?? '')), action: e.data.action, reason: e.data.reason,
  };
  host.emit(event);
  if (e.data.action === 'stop' && obj.state === DomainState.RUNNING) {
    transition(host, obj, DomainState.PAUSED, PausedReason.IOERROR, LifecycleType.SUSPENDED, SuspendedDetail.IOERROR);
  }
}
