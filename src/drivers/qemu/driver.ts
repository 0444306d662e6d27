/**
 * The `qemu` hypervisor driver (libvirt's src/qemu/qemu_driver.c): `qemu:///system` (state under
 * /var/lib/virtmon/qemu and /run/virtmon/qemu) and `qemu:///session` (XDG directories), both
 * overridable through OpenOptions.settings. open() takes the state directory's lock, loads the
 * definitions, finds running QEMUs again from their status files and starts autostart domains once
 * per host boot.
 */
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VirtmonError } from '../../domain/errors.ts';
import { silentLogger } from '../../domain/logger.ts';
import type { HypervisorDriver, OpenOptions } from '../driver.ts';
import type { ParsedUri } from '../uri.ts';
import { ConfigStore } from './config-store.ts';
import { buildQemuConnection } from './connection.ts';
import { acquireDriverLock } from './driver-lock.ts';
import { QemuHost } from './host.ts';
import { start } from './lifecycle/start.ts';
import { loadAndReconnect } from './reconnect.ts';
import { qemuPaths, resolveSettings } from './settings.ts';
import { loadStatusFiles } from './status-file.ts';

/** The qemu driver's row of the driver table. */
export const qemuDriver: HypervisorDriver = {
  name: 'qemu',
  uriSchemes: ['qemu'],
  localOnly: true,
  async open(uri: ParsedUri, options: OpenOptions) {
    if (uri.transport !== undefined) return 'declined';
    if (uri.path !== '/system' && uri.path !== '/session') {
      throw new VirtmonError('VIR_ERR_INTERNAL_ERROR', `unexpected QEMU URI path '${uri.path}', try qemu:///system or qemu:///session`);
    }
    const settings = resolveSettings(uri.path === '/system' ? 'system' : 'session', options.settings ?? {});
    const logger = (options.logger ?? silentLogger()).child({ driver: 'qemu', uri: uri.raw });
    await new ConfigStore(qemuPaths(settings), logger).ensureDirs();
    const release = await acquireDriverLock(settings.runDir, uri.raw);
    try {
      const { statuses, errors } = await loadStatusFiles(settings.runDir);
      for (const e of errors) logger.error({ err: e.error, file: e.file }, 'unreadable status file; left alone');
      const firstId = statuses.reduce((max, s) => Math.max(max, s.status.id), 0) + 1;
      const host = new QemuHost({ settings, logger, clock: options.clock ?? Date.now, firstId, qmpObserver: options.qmpObserver });
      await loadAndReconnect(host, statuses);
      if (settings.autostart) await autostartOnce(host);
      return buildQemuConnection(host, release);
    } catch (err) {
      await release();
      throw err;
    }
  },
};

/** Starts inactive autostart domains, once per host boot (a marker in the run directory, as libvirt keeps). */
async function autostartOnce(host: QemuHost): Promise<void> {
  const marker = join(host.settings.runDir, 'autostarted');
  try {
    await access(marker);
    return;
  } catch {
    // first open since boot
  }
  await writeFile(marker, '');
  for (const obj of host.domains.all()) {
    if (!obj.autostart || obj.isActive()) continue;
    await start(host, obj.ref, {}).catch((err: unknown) => {
      host.log.error({ err, domain: obj.name }, 'autostart failed');
    });
  }
}
