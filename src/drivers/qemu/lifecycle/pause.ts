/**
 * virDomainSuspend and virDomainResume: record the intended reason, send `stop`/`cont`, wait for the
 * STOP/RESUME event that applies the transition (monitor-events.ts).
 */
import type { DomainRef } from '../../../domain/domain-ref.ts';
import { VirtmonError } from '../../../domain/errors.ts';
import { LifecycleType, ResumedDetail } from '../../../domain/events.ts';
import { CrashedReason, DomainState, PausedReason, RunningReason } from '../../../domain/states.ts';
import { checkResume, checkSuspend } from '../../common/lifecycle-rules.ts';
import type { QemuHost } from '../host.ts';
import { contWithRetry, executeAndAwait, requireMonitor } from './common.ts';

/** PAUSED/user + SUSPENDED/PAUSED; a paused domain is a successful no-op. */
export async function suspend(host: QemuHost, dom: DomainRef): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainSuspend', async () => {
    if (checkSuspend(obj) === 'noop') return;
    const { run, qmp } = requireMonitor(obj);
    run.pausedIntent = PausedReason.USER;
    try {
      await executeAndAwait(qmp, 'stop', 'STOP', host.settings.qmpTimeoutMs);
    } finally {
      run.pausedIntent = undefined;
    }
    await host.saveStatus(obj);
  });
}

/** RUNNING/unpaused + RESUMED/UNPAUSED (a panicked domain: RUNNING/crashed). */
export async function resume(host: QemuHost, dom: DomainRef): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainResume', async () => {
    if (checkResume(obj) === 'noop') return;
    const { run, qmp } = requireMonitor(obj);
    const panicked = obj.state === DomainState.CRASHED && obj.reason === CrashedReason.PANICKED;
    run.runningIntent = {
      reason: panicked ? RunningReason.CRASHED : RunningReason.UNPAUSED,
      event: { type: LifecycleType.RESUMED, detail: ResumedDetail.UNPAUSED },
    };
    const resumed = qmp.waitForEvent('RESUME', undefined, host.settings.qmpTimeoutMs);
    resumed.catch(() => undefined);
    try {
      await contWithRetry(qmp);
    } catch (err) {
      run.runningIntent = undefined;
      throw new VirtmonError('VIR_ERR_OPERATION_FAILED', 'resume operation failed', { cause: err });
    }
    await resumed;
    await host.saveStatus(obj);
  });
}
