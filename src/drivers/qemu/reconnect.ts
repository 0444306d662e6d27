/**
 * What open() does before returning (libvirt's qemuStateInitialize + qemuProcessReconnectAll): load
 * the persistent definitions, then each status file: check the pid is still that QEMU, reconnect its
 * monitor and reconcile. A QEMU that died while nobody held the driver becomes SHUTOFF (destroyed,
 * shutdown or crashed, from the flags it left) and its taps, cgroups and files are removed. A live
 * QEMU is never killed because a reconnect step failed: control state ERROR and a retry loop.
 */
import { readFile } from 'node:fs/promises';
import { StoppedDetail } from '../../domain/events.ts';
import { ShutoffReason, isActiveState, isDomainState } from '../../domain/states.ts';
import { parseQemuDomainXml } from './definitions.ts';
import type { QemuDomain, QemuHost } from './host.ts';
import { connectMonitor, scheduleMonitorReconnect } from './monitor.ts';
import { isAlive, isQemuOf, readProcStat } from './proc.ts';
import { reconcile } from './reconcile.ts';
import { newRun } from './run.ts';
import type { QemuRun } from './run.ts';
import type { DomainStatus } from './status-file.ts';
import { stopRun } from './stop.ts';

/** Loads configs into the list. */
export async function loadConfigs(host: QemuHost): Promise<void> {
  for (const c of await host.configs.loadAll()) {
    try {
      const { obj } = host.domains.define(c.def);
      obj.autostart = c.autostart;
      obj.hasManagedSave = c.managedSave;
    } catch (err) {
      host.log.error({ err, domain: c.def.name }, 'definition conflicts with another one; skipped');
    }
  }
}

/** Puts a domain from its status file into the list, with its run; undefined when the file is unusable. */
function adopt(host: QemuHost, file: string, s: DomainStatus): { obj: QemuDomain; run: QemuRun } | undefined {
  try {
    const def = parseQemuDomainXml(s.xml);
    const { obj } = host.domains.add(def, { live: true });
    obj.id = s.id;
    obj.setState(isDomainState(s.state) && isActiveState(s.state) ? s.state : 1, s.reason);
    const run = newRun({
      pid: s.pid, pidStartTicks: s.pidStartTicks, startedAt: s.startedAt, domainDir: s.domainDir,
      monitorPath: s.monitorPath, pidfile: s.pidfile, logPath: s.logPath,
    });
    run.taps = [...s.taps];
    run.cgroup = s.cgroup;
    run.vcpuTids = [...s.vcpuTids];
    run.disks = [...s.disks];
    run.nics = [...s.nics];
    run.balloon = s.balloon;
    run.gotShutdown = s.flags.gotShutdown;
    run.beingDestroyed = s.flags.beingDestroyed;
    run.fakeReboot = s.flags.fakeReboot;
    run.pausedShutdown = s.flags.pausedShutdown;
    run.asyncJob = s.asyncJob;
    obj.priv.run = run;
    return { obj, run };
  } catch (err) {
    host.log.error({ err, file }, 'cannot take over the domain of this status file; left alone');
    return undefined;
  }
}

/** Finds one domain's QEMU again. */
async function reconnectOne(host: QemuHost, obj: QemuDomain, run: QemuRun): Promise<void> {
  await host.internalJob(obj, 'reconnect', async () => {
    if (run.pid === 0) await pidFromPidfile(obj, run);
    const ours = run.pid > 0 && (await isAlive(run.pid, run.pidStartTicks)) && (await isQemuOf(run.pid, obj.name, obj.uuid));
    if (!ours) {
      run.pid = 0; // whatever has that pid now is not ours to kill
      host.log.info({ domain: obj.name }, 'QEMU exited while the driver was not running');
      if (run.beingDestroyed) await stopRun(host, obj, run, ShutoffReason.DESTROYED, StoppedDetail.DESTROYED);
      else if (run.gotShutdown) await stopRun(host, obj, run, ShutoffReason.SHUTDOWN, StoppedDetail.SHUTDOWN);
      else await stopRun(host, obj, run, ShutoffReason.CRASHED, StoppedDetail.FAILED);
      return;
    }
    try {
      const qmp = await connectMonitor(host, obj, run, { timeoutMs: 5_000 });
      await reconcile(host, obj, run, qmp);
    } catch (err) {
      host.log.warn({ err, domain: obj.name, pid: run.pid }, 'cannot reconnect to the QEMU monitor; will retry');
      const half = run.qmp;
      run.qmp = undefined;
      await half?.close();
      run.control = 'error';
      host.emit({ kind: 'control-error', domain: obj.ref, time: host.clock() });
      scheduleMonitorReconnect(host, obj, run, 1_000);
    }
  });
}

/**
 * A start interrupted between spawn and the status file that names the pid: QEMU's own pidfile says
 * which process it is (then the unfinished start is found in `prelaunch` and killed, not leaked).
 */
async function pidFromPidfile(obj: QemuDomain, run: QemuRun): Promise<void> {
  const pid = Number((await readFile(run.pidfile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 1 || !(await isQemuOf(pid, obj.name, obj.uuid))) return;
  const stat = await readProcStat(pid);
  if (stat === undefined) return;
  run.pid = pid;
  run.pidStartTicks = stat.startTicks;
}

/** Loads configs and status files and reconnects every running domain (in parallel). */
export async function loadAndReconnect(host: QemuHost, statuses: readonly { file: string; status: DomainStatus }[]): Promise<void> {
  await loadConfigs(host);
  const adopted = statuses.map(({ file, status }) => adopt(host, file, status)).filter((a) => a !== undefined);
  await Promise.all(adopted.map(({ obj, run }) => reconnectOne(host, obj, run)));
}
