/**
 * Helpers every operation uses: the run and monitor of an active domain (or libvirt's error), `cont`
 * with libvirt's retries, waiting for a migration job, and putting back the definitions of a start
 * that failed before the domain changed state.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { VirtmonError, domainNotRunning } from '../../../domain/errors.ts';
import type { QemuDomain, QemuHost } from '../host.ts';
import { activeRun } from '../host.ts';
import type { QmpClient } from '../qmp/client.ts';
import type { QemuRun } from '../run.ts';

/** The run and its monitor; `domain is not running`, or OPERATION_FAILED while the monitor is lost. */
export function requireMonitor(obj: QemuDomain): { run: QemuRun; qmp: QmpClient } {
  const run = activeRun(obj);
  if (run === undefined) throw domainNotRunning();
  const qmp = run.qmp;
  if (qmp === undefined || qmp.state !== 'ready') {
    throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `QEMU monitor of domain '${obj.name}' is not connected (reconnecting)`);
  }
  return { run, qmp };
}

/** `cont`, retried 3 times 250 ms apart while QEMU still expects an incoming migration (libvirt). */
export async function contWithRetry(qmp: QmpClient): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await qmp.execute('cont');
      return;
    } catch (err) {
      if (!(err instanceof VirtmonError) || err.qmpClass !== 'MigrationExpected' || attempt >= 3) throw err;
      await sleep(250);
    }
  }
}

/** Sends `command` and waits for the event it causes (subscribed first, as QEMU emits before replying). */
export async function executeAndAwait(qmp: QmpClient, command: string, event: string, timeoutMs: number, args?: Record<string, unknown>): Promise<void> {
  const seen = qmp.waitForEvent(event, undefined, timeoutMs);
  seen.catch(() => undefined);
  await qmp.execute(command, args);
  await seen;
}

/** Polls query-migrate until the job completes; failed or cancelled → OPERATION_FAILED `job 'NAME' failed: …`. */
export async function waitForMigration(qmp: QmpClient, jobName: string): Promise<void> {
  for (;;) {
    const info = await qmp.execute('query-migrate');
    if (info.status === 'completed') return;
    if (info.status === 'failed' || info.status === 'cancelled') {
      throw new VirtmonError('VIR_ERR_OPERATION_FAILED', info['error-desc'] === undefined
        ? `job '${jobName}' unexpectedly failed` : `job '${jobName}' failed: ${info['error-desc']}`);
    }
    await sleep(50);
  }
}

/**
 * After a start refused before the domain changed state: a transient object made for it leaves the
 * list, a persistent one gets its configuration back as its definition.
 */
export function rollbackUnstarted(host: QemuHost, obj: QemuDomain): void {
  if (obj.isActive()) return;
  if (obj.newDef !== undefined) {
    obj.def = obj.newDef;
    obj.newDef = undefined;
  }
  if (!obj.persistent) host.domains.remove(obj);
}
