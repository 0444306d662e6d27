/**
 * virDomainShutdown, virDomainReboot, virDomainReset. Shutdown and reboot send ACPI
 * `system_powerdown` and return at once: the guest's SHUTDOWN event finishes the job (monitor-events.ts:
 * SIGTERM and SHUTOFF/shutdown, or libvirt's fake reboot — `system_reset` + `cont` — when the run is
 * marked for one: reboot, on_poweroff=restart). on_reboot=destroy turns a reboot into a shutdown.
 */
import type { DomainRef } from '../../../domain/domain-ref.ts';
import { DomainState, PausedReason } from '../../../domain/states.ts';
import { checkReboot, checkReset, checkShutdown } from '../../common/lifecycle-rules.ts';
import type { QemuHost } from '../host.ts';
import { requireMonitor } from './common.ts';

/** ACPI power button; exactly RUNNING (libvirt: PAUSED is `domain is not running`). */
export async function shutdown(host: QemuHost, dom: DomainRef): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainShutdown', async () => {
    checkShutdown(obj);
    const { run, qmp } = requireMonitor(obj);
    run.fakeReboot = obj.def.onPoweroff === 'restart' || obj.def.onPoweroff === 'rename-restart';
    await qmp.execute('system_powerdown');
    await host.saveStatus(obj);
  });
}

/** ACPI power button, then a fake reboot on the guest's SHUTDOWN. */
export async function reboot(host: QemuHost, dom: DomainRef): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainReboot', async () => {
    checkReboot(obj);
    const { run, qmp } = requireMonitor(obj);
    run.fakeReboot = obj.def.onReboot !== 'destroy' && obj.def.onReboot !== 'preserve';
    await qmp.execute('system_powerdown');
    await host.saveStatus(obj);
  });
}

/** `system_reset`: a REBOOT event (from QEMU's RESET), state unchanged; a crashed domain becomes PAUSED/crashed. */
export async function reset(host: QemuHost, dom: DomainRef): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainReset', async () => {
    checkReset(obj);
    const { qmp } = requireMonitor(obj);
    await qmp.execute('system_reset');
    if (obj.state === DomainState.CRASHED) {
      obj.setState(DomainState.PAUSED, PausedReason.CRASHED);
      await host.saveStatus(obj);
    }
  });
}
