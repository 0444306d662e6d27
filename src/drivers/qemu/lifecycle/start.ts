/**
 * virDomainCreateWithFlags (start a defined domain; with a managed-save image it restores instead,
 * unless FORCE_BOOT, which discards the image) and virDomainCreateXML (a transient domain, or a one-off
 * run of a defined one).
 */
import { rm } from 'node:fs/promises';
import type { DomainRef } from '../../../domain/domain-ref.ts';
import { checkStart } from '../../common/lifecycle-rules.ts';
import type { StartFlags } from '../../driver.ts';
import { parseQemuDomainXml } from '../definitions.ts';
import type { QemuDomain, QemuHost } from '../host.ts';
import { launch } from '../launch.ts';
import { rollbackUnstarted } from './common.ts';
import { restoreManaged } from './restore.ts';

async function markAutodestroy(host: QemuHost, obj: QemuDomain, flags: StartFlags): Promise<void> {
  if (flags.autodestroy !== true || !obj.isActive()) return;
  obj.priv.autodestroy = true;
  await host.saveStatus(obj);
}

/** Starts a defined domain. */
export async function start(host: QemuHost, dom: DomainRef, flags: StartFlags): Promise<DomainRef> {
  const obj = host.domains.resolve(dom);
  return host.job(obj, 'virDomainCreateWithFlags', async () => {
    const how = checkStart(obj, flags);
    if (how === 'restore') {
      await restoreManaged(host, obj, flags.paused === true);
    } else {
      if (obj.hasManagedSave) {
        await rm(host.paths.managedSaveFile(obj.name), { force: true });
        obj.hasManagedSave = false;
      }
      await launch(host, obj, { paused: flags.paused === true, incoming: false });
    }
    await markAutodestroy(host, obj, flags);
    return obj.ref;
  });
}

/** Creates and starts a transient domain. */
export async function createXML(host: QemuHost, xml: string, flags: StartFlags): Promise<DomainRef> {
  const def = parseQemuDomainXml(xml);
  const { obj } = host.domains.add(def, { live: true, checkLive: true });
  try {
    await host.job(obj, 'virDomainCreateXML', async () => {
      await launch(host, obj, { paused: flags.paused === true, incoming: false });
      await markAutodestroy(host, obj, flags);
    });
  } catch (err) {
    rollbackUnstarted(host, obj);
    throw err;
  }
  return obj.ref;
}
