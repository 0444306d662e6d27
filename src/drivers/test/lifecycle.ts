/**
 * Lifecycle operations of the test driver with the qemu driver's rules (common/lifecycle-rules.ts) and
 * libvirt's events. Everything completes synchronously: a shutdown reaches SHUTOFF before the call
 * returns, so a CLI `;` chain sees the final state, as with libvirt's test driver. Save and restore
 * write and read a real file; state changes happen only after the file I/O succeeded.
 */
import type { DomainRef } from '../../domain/domain-ref.ts';
import { domainNotRunning } from '../../domain/errors.ts';
import {
  LifecycleType, ResumedDetail, ShutdownDetail, StartedDetail, StoppedDetail, SuspendedDetail,
} from '../../domain/events.ts';
import { formatDomainXml } from '../../domain/xml-format.ts';
import {
  DomainState, PausedReason, RunningReason, ShutoffReason,
} from '../../domain/states.ts';
import {
  checkDestroy, checkManagedSave, checkReboot, checkReset, checkResume, checkSave, checkSaveFlags, checkShutdown,
  checkStart, checkSuspend,
} from '../common/lifecycle-rules.ts';
import type { SaveFlags, StartFlags } from '../driver.ts';
import { parseTestDomainXml } from './definitions.ts';
import type { TestDomain, TestHost } from './host.ts';
import { readSaveImage, writeSaveImage } from './save-image.ts';

/** Boots (or, after a managed save, restores) and emits STARTED (+ SUSPENDED when left paused). */
function bootWithEvents(host: TestHost, obj: TestDomain, flags: StartFlags): void {
  if (flags.paused === true) {
    host.boot(obj, DomainState.PAUSED, PausedReason.USER);
    host.lifecycle(obj, LifecycleType.STARTED, StartedDetail.BOOTED);
    host.lifecycle(obj, LifecycleType.SUSPENDED, SuspendedDetail.PAUSED);
  } else {
    host.boot(obj, DomainState.RUNNING, RunningReason.BOOTED);
    host.lifecycle(obj, LifecycleType.STARTED, StartedDetail.BOOTED);
  }
  if (flags.autodestroy === true) obj.priv.autodestroy = true;
}

/**
 * Starts from a save image already attached as the live definition: STARTED/RESTORED, then either
 * RUNNING/restored or PAUSED/migrating with SUSPENDED/RESTORED (image says paused) or /PAUSED (flag).
 */
function restoreWithEvents(host: TestHost, obj: TestDomain, wasRunning: boolean, flags: SaveFlags): void {
  const running = flags.running === true || (wasRunning && flags.paused !== true);
  if (running) {
    host.boot(obj, DomainState.RUNNING, RunningReason.RESTORED);
    host.lifecycle(obj, LifecycleType.STARTED, StartedDetail.RESTORED);
  } else {
    host.boot(obj, DomainState.PAUSED, PausedReason.MIGRATION);
    host.lifecycle(obj, LifecycleType.STARTED, StartedDetail.RESTORED);
    host.lifecycle(obj, LifecycleType.SUSPENDED, flags.paused === true ? SuspendedDetail.PAUSED : SuspendedDetail.RESTORED);
  }
}

/** virDomainCreateXML: a transient domain (or a one-off run of a defined, inactive one). */
export function createXML(host: TestHost, xml: string, flags: StartFlags): DomainRef {
  const def = parseTestDomainXml(xml);
  const { obj } = host.domains.add(def, { live: true, checkLive: true });
  bootWithEvents(host, obj, flags);
  return obj.ref;
}

/** virDomainCreateWithFlags: boots a defined domain, or restores its managed-save image. */
export function start(host: TestHost, dom: DomainRef, flags: StartFlags): DomainRef {
  const obj = host.domains.resolve(dom);
  const how = checkStart(obj, flags);
  const image = host.managedImages.get(obj.uuid);
  if (how === 'restore' && image !== undefined) {
    host.domains.add(image.def, { live: true });
    restoreWithEvents(host, obj, image.wasRunning, { paused: flags.paused === true });
  } else {
    // FORCE_BOOT discards the image (qemuDomainObjStart unlinks it).
    host.managedImages.delete(obj.uuid);
    obj.hasManagedSave = false;
    bootWithEvents(host, obj, flags);
  }
  return obj.ref;
}

/**
 * virDomainShutdown, completed at once: the guest "powers off" and on_poweroff decides. restart
 * (and rename-restart) reboot it in place (REBOOT, RUNNING/booted); anything else stops it with
 * SHUTDOWN/FINISHED then STOPPED/SHUTDOWN.
 */
export function shutdown(host: TestHost, dom: DomainRef): void {
  const obj = host.domains.resolve(dom);
  checkShutdown(obj);
  if (obj.def.onPoweroff === 'restart' || obj.def.onPoweroff === 'rename-restart') {
    host.setState(obj, DomainState.RUNNING, RunningReason.BOOTED);
    host.reboot(obj);
    return;
  }
  powerOff(host, obj);
}

function powerOff(host: TestHost, obj: TestDomain): void {
  host.lifecycle(obj, LifecycleType.SHUTDOWN, ShutdownDetail.FINISHED);
  host.stop(obj, ShutoffReason.SHUTDOWN, StoppedDetail.SHUTDOWN);
}

/** virDomainReboot: REBOOT event and no state change; on_reboot=destroy/preserve turns it into a shutdown. */
export function reboot(host: TestHost, dom: DomainRef): void {
  const obj = host.domains.resolve(dom);
  checkReboot(obj);
  if (obj.def.onReboot === 'destroy' || obj.def.onReboot === 'preserve') {
    powerOff(host, obj);
    return;
  }
  host.reboot(obj);
}

/**
 * virDomainReset: REBOOT event, state unchanged. QEMU ignores a reset's event while paused, and a
 * crashed domain comes back PAUSED/crashed.
 */
export function reset(host: TestHost, dom: DomainRef): void {
  const obj = host.domains.resolve(dom);
  checkReset(obj);
  if (obj.state === DomainState.CRASHED) {
    host.setState(obj, DomainState.PAUSED, PausedReason.CRASHED);
    return;
  }
  if (obj.state !== DomainState.PAUSED) host.reboot(obj);
}

/** virDomainDestroyFlags: SHUTOFF/destroyed, STOPPED/DESTROYED. */
export function destroy(host: TestHost, dom: DomainRef): void {
  const obj = host.domains.resolve(dom);
  checkDestroy(obj);
  host.stop(obj, ShutoffReason.DESTROYED, StoppedDetail.DESTROYED);
}

/** virDomainSuspend: PAUSED/user, SUSPENDED/PAUSED; already paused is a silent success. */
export function suspend(host: TestHost, dom: DomainRef): void {
  const obj = host.domains.resolve(dom);
  if (checkSuspend(obj) === 'noop') return;
  host.setState(obj, DomainState.PAUSED, PausedReason.USER);
  host.lifecycle(obj, LifecycleType.SUSPENDED, SuspendedDetail.PAUSED);
}

/** virDomainResume: RUNNING/unpaused, RESUMED/UNPAUSED. */
export function resume(host: TestHost, dom: DomainRef): void {
  const obj = host.domains.resolve(dom);
  if (checkResume(obj) === 'noop') return;
  host.setState(obj, DomainState.RUNNING, RunningReason.UNPAUSED);
  host.lifecycle(obj, LifecycleType.RESUMED, ResumedDetail.UNPAUSED);
}

/** was_running as qemu records it: the current state, unless a flag overrides. */
function wasRunning(obj: TestDomain, flags: SaveFlags): boolean {
  if (flags.running === true) return true;
  if (flags.paused === true) return false;
  return obj.state === DomainState.RUNNING;
}

/** virDomainSaveFlags: writes the image, then SHUTOFF/saved and STOPPED/SAVED. */
export async function save(host: TestHost, dom: DomainRef, path: string, flags: SaveFlags): Promise<void> {
  checkSaveFlags(flags);
  const obj = host.domains.resolve(dom);
  checkSave(obj);
  const id = obj.id;
  await writeSaveImage(path, obj.name, { xml: formatDomainXml(obj.def), wasRunning: wasRunning(obj, flags) });
  // Another call may have stopped or restarted the domain while the file was written.
  const now = host.domains.findByUuid(dom.uuid);
  if (now !== obj || obj.id !== id || !obj.isActive()) throw domainNotRunning();
  host.stop(obj, ShutoffReason.SAVED, StoppedDetail.SAVED);
}

/** virDomainRestoreFlags: a new start from the image's definition (transient unless defined). */
export async function restore(host: TestHost, path: string, flags: SaveFlags): Promise<DomainRef> {
  checkSaveFlags(flags);
  const image = await readSaveImage(path);
  const def = parseTestDomainXml(image.xml);
  const { obj } = host.domains.add(def, { live: true, checkLive: true });
  restoreWithEvents(host, obj, image.wasRunning, flags);
  return obj.ref;
}

/** virDomainManagedSave: the image stays in memory; SHUTOFF/saved, STOPPED/SAVED; the next start restores. */
export function managedSave(host: TestHost, dom: DomainRef, flags: SaveFlags): void {
  checkSaveFlags(flags);
  const obj = host.domains.resolve(dom);
  checkManagedSave(obj);
  host.managedImages.set(obj.uuid, { def: obj.def, wasRunning: wasRunning(obj, flags) });
  obj.hasManagedSave = true;
  host.stop(obj, ShutoffReason.SAVED, StoppedDetail.SAVED);
}

/** virDomainManagedSaveRemove: succeeds whether or not there was an image. */
export function managedSaveRemove(host: TestHost, dom: DomainRef): void {
  const obj = host.domains.resolve(dom);
  host.managedImages.delete(obj.uuid);
  obj.hasManagedSave = false;
}
