/**
 * virDomainDestroyFlags (qemuDomainDestroyFlags): mark the run "being destroyed", kill QEMU the way
 * libvirt does (SIGTERM, SIGKILL after 10 s, give up at 40 s; GRACEFUL: SIGTERM only), then take the
 * job (a job stuck on the monitor ends when QEMU dies) and stop: SHUTOFF/destroyed, STOPPED/DESTROYED.
 * The flag, not QEMU's exit status, tells a destroy from a crash: SIGTERM makes QEMU exit 0.
 */
import type { DomainRef } from '../../../domain/domain-ref.ts';
import { domainNotRunning } from '../../../domain/errors.ts';
import { StoppedDetail } from '../../../domain/events.ts';
import { ShutoffReason } from '../../../domain/states.ts';
import { checkDestroy } from '../../common/lifecycle-rules.ts';
import type { QemuHost } from '../host.ts';
import { activeRun } from '../host.ts';
import { finishDeadRun } from '../monitor.ts';
import { isAlive, killPainfully } from '../proc.ts';
import { stopRun } from '../stop.ts';

/** Destroys an active domain. */
export async function destroy(host: QemuHost, dom: DomainRef, flags: { readonly graceful?: boolean }): Promise<void> {
  const obj = host.domains.resolve(dom);
  checkDestroy(obj);
  const run = activeRun(obj);
  if (run === undefined) throw domainNotRunning();
  run.beingDestroyed = true;
  run.fakeReboot = false;
  await host.saveStatus(obj).catch(() => undefined);
  try {
    await killPainfully(run.pid, run.pidStartTicks, flags.graceful === true ? { graceful: true } : {});
  } catch (err) {
    run.beingDestroyed = false;
    if (run.qmp === undefined && !(await isAlive(run.pid, run.pidStartTicks))) await finishDeadRun(host, obj, run);
    throw err;
  }
  await host.internalJob(obj, 'virDomainDestroyFlags', async () => {
    if (obj.priv.run !== run || run.finished) return;
    await stopRun(host, obj, run, ShutoffReason.DESTROYED, StoppedDetail.DESTROYED);
  });
}
