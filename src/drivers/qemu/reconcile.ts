/**
 * Bringing the domain object in line with a QEMU found running (libvirt's qemuProcessReconnect steps
 * 3-4): query-status decides the state, an unfinished start is killed, a pending shutdown is finished,
 * an interrupted save is cancelled and the guest resumed, an interrupted restore is killed; then the
 * vCPU threads and the balloon are refreshed and the status file written.
 */
import { LifecycleType, ResumedDetail, StoppedDetail } from '../../domain/events.ts';
import { DomainState, PausedReason, PMSuspendedReason, RunningReason, ShutdownReason, ShutoffReason } from '../../domain/states.ts';
import type { QemuDomain, QemuHost } from './host.ts';
import { suspendedDetailOf } from './monitor-events.ts';
import { signal } from './proc.ts';
import type { QmpClient } from './qmp/client.ts';
import type { QmpRunState } from './qmp/types.ts';
import type { QemuRun } from './run.ts';
import { stopRun } from './stop.ts';

/** qemuMonitorVMStatusToPausedReason. */
export function pausedReasonOf(status: QmpRunState): number {
  switch (status) {
    case 'inmigrate': case 'postmigrate': case 'finish-migrate': return PausedReason.MIGRATION;
    case 'io-error': return PausedReason.IOERROR;
    case 'paused': case 'prelaunch': return PausedReason.USER;
    case 'save-vm': return PausedReason.SAVE;
    case 'shutdown': return PausedReason.SHUTTING_DOWN;
    case 'watchdog': return PausedReason.WATCHDOG;
    case 'guest-panicked': return PausedReason.CRASHED;
    case 'debug': case 'internal-error': case 'restore-vm': case 'colo': case 'running': case 'suspended':
      return PausedReason.UNKNOWN;
  }
}

/** Reads the vCPU thread ids (query-cpus-fast, by cpu-index). */
export async function queryVcpuTids(qmp: QmpClient): Promise<number[]> {
  const cpus = await qmp.execute('query-cpus-fast');
  return [...cpus].sort((a, b) => a['cpu-index'] - b['cpu-index']).map((c) => c['thread-id']);
}

/** Reconciles after (re)connecting the monitor; returns false when the run was stopped instead. */
export async function reconcile(host: QemuHost, obj: QemuDomain, run: QemuRun, qmp: QmpClient): Promise<boolean> {
  const st = await qmp.execute('query-status');
  let running = st.running;
  if (run.asyncJob === 'start' && st.status === 'prelaunch') {
    host.log.warn({ domain: obj.name }, 'QEMU of an unfinished start found: killing it');
    await stopRun(host, obj, run, ShutoffReason.FAILED, StoppedDetail.FAILED);
    return false;
  }
  if (run.asyncJob === 'restore' && st.status === 'inmigrate') {
    host.log.warn({ domain: obj.name }, 'QEMU of an interrupted restore found: killing it');
    await stopRun(host, obj, run, ShutoffReason.FAILED, StoppedDetail.FAILED);
    return false;
  }
  if (run.asyncJob === 'save') {
    await qmp.execute('migrate_cancel').catch(() => undefined);
    run.asyncJob = undefined;
    if (!st.running && obj.state === DomainState.PAUSED && obj.reason === PausedReason.SAVE) {
      run.runningIntent = { reason: RunningReason.SAVE_CANCELED, event: { type: LifecycleType.RESUMED, detail: ResumedDetail.UNPAUSED } };
      await qmp.execute('cont');
      running = true;
    }
  }
  run.asyncJob = undefined;
  if (st.status === 'shutdown' && !run.fakeReboot) {
    // The guest powered off (or a shutdown was pending) while nobody watched: finish the shutdown.
    run.gotShutdown = true;
    if (obj.state !== DomainState.SHUTDOWN) obj.setState(DomainState.SHUTDOWN, ShutdownReason.UNKNOWN);
    signal(run.pid, 'SIGTERM');
  } else if (st.status === 'suspended') {
    if (obj.state !== DomainState.PMSUSPENDED) obj.setState(DomainState.PMSUSPENDED, PMSuspendedReason.UNKNOWN);
  } else if (running && obj.state !== DomainState.RUNNING) {
    const booted = obj.state === DomainState.PAUSED && obj.reason === PausedReason.STARTING_UP;
    obj.setState(DomainState.RUNNING, booted ? RunningReason.BOOTED : RunningReason.UNPAUSED);
    host.lifecycle(obj, LifecycleType.RESUMED, ResumedDetail.UNPAUSED);
  } else if (!running && obj.state === DomainState.RUNNING) {
    const reason = pausedReasonOf(st.status);
    obj.setState(DomainState.PAUSED, reason);
    host.lifecycle(obj, LifecycleType.SUSPENDED, suspendedDetailOf(reason));
  }
  const tids = await queryVcpuTids(qmp);
  if (tids.join() !== run.vcpuTids.join()) {
    run.vcpuTids = tids;
    if (run.cgroup !== undefined) {
      await host.cgroups.placeVcpus(run.cgroup, tids).catch((err: unknown) => {
        host.log.warn({ err, domain: obj.name }, 'cannot place vCPU threads in their cgroups');
      });
    }
  }
  if (run.balloon !== undefined) {
    const b = await qmp.execute('query-balloon').catch(() => undefined);
    if (b !== undefined) obj.def = { ...obj.def, currentMemoryKiB: Math.floor(b.actual / 1024) };
  }
  await host.saveStatus(obj);
  return true;
}
