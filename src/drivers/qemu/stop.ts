/**
 * Stopping a run (libvirt's qemuProcessStop): close the monitor, make sure QEMU is gone, remove what
 * the run made on the host (taps, cgroups, sockets, pidfile, status file), then SHUTOFF with the
 * reason and, when given, the STOPPED event. Cleanup failures are logged and never leave the domain
 * half-active: the state change always happens.
 */
import { rm } from 'node:fs/promises';
import { LifecycleType } from '../../domain/events.ts';
import type { QemuDomain, QemuHost } from './host.ts';
import { isAlive, killPainfully } from './proc.ts';
import type { QemuRun } from './run.ts';
import { removeTap } from './tap.ts';

/** Removes the host resources of a run; returns the errors it logged. */
export async function releaseRunResources(host: QemuHost, obj: QemuDomain, run: QemuRun): Promise<unknown[]> {
  const errors: unknown[] = [];
  const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      errors.push(err);
      host.log.warn({ err, domain: obj.name }, `cleanup: ${what} failed`);
    }
  };
  for (const tap of run.taps) {
    if (tap.owned) await attempt(`removing tap ${tap.name}`, () => removeTap(tap.name));
  }
  const cgroup = run.cgroup;
  if (cgroup !== undefined) await attempt('removing cgroups', () => host.cgroups.remove(cgroup));
  await attempt('removing the domain directory', () => rm(run.domainDir, { recursive: true, force: true }));
  await attempt('removing the pidfile', () => rm(run.pidfile, { force: true }));
  return errors;
}

/**
 * Ends a run: `reason` is the SHUTOFF reason, `detail` the STOPPED detail (undefined: no event, as for
 * a failed start). Safe to call twice: the second call does nothing.
 */
export async function stopRun(host: QemuHost, obj: QemuDomain, run: QemuRun, reason: number, detail: number | undefined): Promise<void> {
  if (run.finished) return;
  run.finished = true;
  run.stopping = true;
  if (run.reconnectTimer !== undefined) clearTimeout(run.reconnectTimer);
  const qmp = run.qmp;
  run.qmp = undefined;
  await qmp?.close();
  if (run.pid > 0 && (await isAlive(run.pid, run.pidStartTicks))) {
    await killPainfully(run.pid, run.pidStartTicks, { force: true }).catch((err: unknown) => {
      host.log.error({ err, domain: obj.name, pid: run.pid }, 'QEMU would not die');
    });
  }
  await releaseRunResources(host, obj, run);
  await host.removeStatus(obj).catch((err: unknown) => {
    host.log.warn({ err, domain: obj.name }, 'cleanup: removing the status file failed');
  });
  if (obj.priv.run === run) obj.priv.run = undefined;
  obj.priv.autodestroy = false;
  host.domains.markStopped(obj, reason);
  if (detail !== undefined) host.lifecycle(obj, LifecycleType.STOPPED, detail);
}
