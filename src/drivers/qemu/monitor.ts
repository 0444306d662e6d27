/**
 * A run's monitor connection: connect with the state machine attached, and what happens when the
 * monitor goes away. A dead QEMU is a stop (shutdown when QEMU said SHUTDOWN first, else crashed); a
 * live QEMU whose monitor failed is never killed for it: the domain gets control state ERROR, a
 * CONTROL_ERROR event, and the driver keeps reconnecting (libvirt-semantics.md §8, virtmon's rule).
 */
import { StoppedDetail } from '../../domain/events.ts';
import { ShutoffReason } from '../../domain/states.ts';
import type { VirtmonError } from '../../domain/errors.ts';
import type { QemuDomain, QemuHost } from './host.ts';
import { attachEventHandlers } from './monitor-events.ts';
import { isAlive, waitForExit } from './proc.ts';
import { QmpClient } from './qmp/client.ts';
import { reconcile } from './reconcile.ts';
import type { QemuRun } from './run.ts';
import { stopRun } from './stop.ts';

/** Connects the run's monitor (retrying while the socket is not there yet) with the handlers attached. */
export async function connectMonitor(
  host: QemuHost, obj: QemuDomain, run: QemuRun, options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<QmpClient> {
  const qmp = new QmpClient({
    path: run.monitorPath,
    commandTimeoutMs: host.settings.qmpTimeoutMs,
    connectTimeoutMs: options.timeoutMs,
    logger: host.log.child({ domain: obj.name }),
    ...(host.qmpObserver === undefined ? {} : { observer: host.qmpObserver }),
  });
  attachEventHandlers(host, obj, run, qmp);
  qmp.onClose((reason) => { onMonitorClosed(host, obj, run, qmp, reason); });
  await qmp.connect(options.signal);
  run.qmp = qmp;
  run.control = 'ok';
  return qmp;
}

/** The monitor closed: decide between a stop and a monitor failure. */
function onMonitorClosed(host: QemuHost, obj: QemuDomain, run: QemuRun, qmp: QmpClient, reason: VirtmonError): void {
  if (run.qmp !== qmp) return; // a connection that never became the run's monitor
  run.qmp = undefined;
  if (run.finished || run.stopping || run.beingDestroyed || host.closed) return;
  host.log.debug({ domain: obj.name, reason: reason.message }, 'QEMU monitor closed');
  host.spawnBackground('handling the end of the QEMU monitor', obj, () => handleMonitorLoss(host, obj, run));
}

/** Finishes a run whose QEMU is gone: SHUTOFF/shutdown after a SHUTDOWN, else SHUTOFF/crashed. */
export async function finishDeadRun(host: QemuHost, obj: QemuDomain, run: QemuRun): Promise<void> {
  await host.internalJob(obj, 'stopping after QEMU exited', async () => {
    if (obj.priv.run !== run || run.finished || run.beingDestroyed || run.stopping) return;
    if (run.gotShutdown) await stopRun(host, obj, run, ShutoffReason.SHUTDOWN, StoppedDetail.SHUTDOWN);
    else await stopRun(host, obj, run, ShutoffReason.CRASHED, StoppedDetail.FAILED);
  });
}

async function handleMonitorLoss(host: QemuHost, obj: QemuDomain, run: QemuRun): Promise<void> {
  // QEMU closes the monitor as it exits; give the process a moment to be gone.
  if (await waitForExit(run.pid, run.pidStartTicks, 5_000)) {
    await finishDeadRun(host, obj, run);
    return;
  }
  if (obj.priv.run !== run || run.finished) return;
  run.control = 'error';
  host.log.warn({ domain: obj.name, pid: run.pid }, 'lost the QEMU monitor of a running domain; reconnecting');
  host.emit({ kind: 'control-error', domain: obj.ref, time: host.clock() });
  host.saveStatusLater(obj);
  scheduleMonitorReconnect(host, obj, run, 1_000);
}

/** Retries the monitor of a live QEMU with a doubling delay (up to 30 s); a QEMU found dead is stopped. */
export function scheduleMonitorReconnect(host: QemuHost, obj: QemuDomain, run: QemuRun, delayMs: number): void {
  if (host.closed || run.finished) return;
  const timer = setTimeout(() => {
    run.reconnectTimer = undefined;
    host.spawnBackground('reconnecting to the QEMU monitor', obj, async () => {
      if (host.closed || obj.priv.run !== run || run.finished || run.qmp !== undefined) return;
      if (!(await isAlive(run.pid, run.pidStartTicks))) {
        await finishDeadRun(host, obj, run);
        return;
      }
      try {
        await host.internalJob(obj, 'monitor reconnect', async () => {
          if (obj.priv.run !== run || run.finished) return;
          const qmp = await connectMonitor(host, obj, run, { timeoutMs: 5_000 });
          await reconcile(host, obj, run, qmp);
        });
        host.log.info({ domain: obj.name }, 'QEMU monitor reconnected');
      } catch (err) {
        host.log.debug({ err, domain: obj.name }, 'QEMU monitor reconnect failed');
        run.control = 'error';
        const half = monitorOf(run);
        run.qmp = undefined;
        if (half !== undefined) await half.close();
        scheduleMonitorReconnect(host, obj, run, Math.min(delayMs * 2, 30_000));
      }
    });
  }, delayMs);
  timer.unref();
  run.reconnectTimer = timer;
}

/** The run's monitor, read afresh (TypeScript would keep a narrowing across awaits). */
function monitorOf(run: QemuRun): QmpClient | undefined {
  return run.qmp;
}
