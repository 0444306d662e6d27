/**
 * Starting autostart domains at agent start (libvirtd's last startup step). The qemu driver does this
 * itself, once per host boot, inside open(); for every other driver the agent does it here.
 */
import type { Logger } from '../domain/logger.ts';
import type { Connection } from '../drivers/dispatch.ts';
import { isActiveState } from '../domain/states.ts';

/** Drivers whose open() already starts autostart domains. */
const SELF_AUTOSTARTING: ReadonlySet<string> = new Set(['qemu']);

/** Starts every inactive autostart domain; a failure is logged and the next one is tried. */
export async function startAutostartDomains(conn: Connection, logger: Logger): Promise<number> {
  if (SELF_AUTOSTARTING.has(conn.driverName) || !conn.supports('listAllDomains') || !conn.supports('create')) return 0;
  let started = 0;
  for (const d of await conn.listAllDomains()) {
    if (!d.autostart || isActiveState(d.state)) continue;
    try {
      await conn.create(d);
      started++;
      logger.info({ domain: d.name }, 'autostart domain started');
    } catch (err) {
      logger.error({ err, domain: d.name }, 'autostart failed');
    }
  }
  return started;
}
