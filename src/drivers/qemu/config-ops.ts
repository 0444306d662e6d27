/**
 * Definitions: define, undefine, autostart, and the config side of memory changes. The file on disk is
 * written before the in-memory list changes, so a failed write changes nothing; conflicting names or
 * UUIDs are refused before anything is written (virdomainobjlist.c's rules, as DomainList applies them).
 */
import { rm } from 'node:fs/promises';
import type { DomainDef } from '../../domain/def.ts';
import type { DomainRef } from '../../domain/domain-ref.ts';
import { VirtmonError } from '../../domain/errors.ts';
import { DefinedDetail, LifecycleType, UndefinedDetail } from '../../domain/events.ts';
import { checkSetAutostart, checkUndefine } from '../common/lifecycle-rules.ts';
import type { UndefineFlags } from '../driver.ts';
import { parseQemuDomainXml } from './definitions.ts';
import type { QemuDomain, QemuHost } from './host.ts';

/** DomainList.add's conflict checks, without changing anything. */
function checkConflicts(host: QemuHost, def: DomainDef): void {
  const byUuid = host.domains.findByUuid(def.uuid);
  if (byUuid !== undefined && byUuid.name !== def.name) {
    throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `domain '${byUuid.name}' is already defined with uuid ${byUuid.uuid}`);
  }
  const byName = host.domains.findByName(def.name);
  if (byUuid === undefined && byName !== undefined) {
    throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `domain '${def.name}' already exists with uuid ${byName.uuid}`);
  }
}

/** virDomainDefineXML: DEFINED/ADDED or DEFINED/UPDATED; a running domain gets it at its next boot. */
export async function defineXML(host: QemuHost, xml: string): Promise<DomainRef> {
  const def = parseQemuDomainXml(xml);
  checkConflicts(host, def);
  await host.configs.save(def);
  const { obj, updated } = host.domains.define(def);
  host.lifecycle(obj, LifecycleType.DEFINED, updated ? DefinedDetail.UPDATED : DefinedDetail.ADDED);
  if (obj.isActive()) await host.saveStatus(obj);
  return obj.ref;
}

/** virDomainUndefineFlags: refused while a managed-save image exists (unless MANAGED_SAVE). */
export async function undefine(host: QemuHost, dom: DomainRef, flags: UndefineFlags): Promise<void> {
  const obj = host.domains.resolve(dom);
  checkUndefine(obj, flags);
  if (obj.hasManagedSave) await rm(host.paths.managedSaveFile(obj.name), { force: true });
  await host.configs.remove(obj.name);
  host.domains.undefine(obj, flags);
  host.lifecycle(obj, LifecycleType.UNDEFINED, UndefinedDetail.REMOVED);
  if (obj.isActive()) await host.saveStatus(obj);
}

/** virDomainSetAutostart. */
export async function setAutostart(host: QemuHost, dom: DomainRef, autostart: boolean): Promise<void> {
  const obj = host.domains.resolve(dom);
  checkSetAutostart(obj);
  await host.configs.setAutostart(obj.name, autostart);
  obj.autostart = autostart;
}

/** Replaces the persistent definition (newDef while running), file first. */
export async function updateConfig(host: QemuHost, obj: QemuDomain, change: (def: DomainDef) => DomainDef): Promise<void> {
  const current = obj.persistentDef();
  if (current === undefined) return;
  const next = change(current);
  await host.configs.save(next);
  if (obj.isActive() && obj.newDef !== undefined) obj.newDef = next;
  else obj.def = next;
}
