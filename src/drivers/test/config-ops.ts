/**
 * Configuration operations of the test driver: define, undefine, autostart, memory and vCPUs, with the
 * qemu driver's checks (common/lifecycle-rules.ts). A change to the live definition applies now; a
 * change to the config of a running domain applies at its next boot (it lives in newDef until then).
 */
import type { DomainDef } from '../../domain/def.ts';
import type { DomainRef } from '../../domain/domain-ref.ts';
import { DefinedDetail, LifecycleType, UndefinedDetail } from '../../domain/events.ts';
import { checkSetAutostart, checkSetMemory, checkSetVcpus } from '../common/lifecycle-rules.ts';
import type { AffectFlags, MemoryFlags, UndefineFlags } from '../driver.ts';
import { parseTestDomainXml } from './definitions.ts';
import type { TestDomain, TestHost } from './host.ts';

/** virDomainDefineXML: DEFINED/ADDED for a new config, DEFINED/UPDATED when one was replaced. */
export function defineXML(host: TestHost, xml: string): DomainRef {
  const def = parseTestDomainXml(xml);
  const { obj, updated } = host.domains.define(def);
  host.lifecycle(obj, LifecycleType.DEFINED, updated ? DefinedDetail.UPDATED : DefinedDetail.ADDED);
  return obj.ref;
}

/** virDomainUndefineFlags: UNDEFINED/REMOVED; a running domain stays, transient. */
export function undefine(host: TestHost, dom: DomainRef, flags: UndefineFlags): void {
  const obj = host.domains.resolve(dom);
  host.domains.undefine(obj, flags);
  host.managedImages.delete(obj.uuid);
  host.lifecycle(obj, LifecycleType.UNDEFINED, UndefinedDetail.REMOVED);
}

/** virDomainSetAutostart (persistent domains only). */
export function setAutostart(host: TestHost, dom: DomainRef, autostart: boolean): void {
  const obj = host.domains.resolve(dom);
  checkSetAutostart(obj);
  obj.autostart = autostart;
}

/** Replaces the live definition. */
export function updateLive(obj: TestDomain, change: (def: DomainDef) => DomainDef): void {
  obj.def = change(obj.def);
}

/** Replaces the persistent definition (newDef while running). */
export function updateConfig(obj: TestDomain, change: (def: DomainDef) => DomainDef): void {
  if (obj.isActive() && obj.newDef !== undefined) obj.newDef = change(obj.newDef);
  else obj.def = change(obj.def);
}

/**
 * virDomainSetMemoryFlags. A live change moves the balloon at once and emits BALLOON_CHANGE; with
 * `maximum`, the config's `<memory>` changes and `<currentMemory>` is clamped to it.
 */
export function setMemory(host: TestHost, dom: DomainRef, kib: number, flags: MemoryFlags): void {
  const obj = host.domains.resolve(dom);
  const targets = checkSetMemory(obj, kib, flags);
  if (flags.maximum === true) {
    updateConfig(obj, (d) => ({ ...d, memoryKiB: kib, currentMemoryKiB: Math.min(d.currentMemoryKiB, kib) }));
    return;
  }
  if (targets.config) updateConfig(obj, (d) => ({ ...d, currentMemoryKiB: kib }));
  if (targets.live) {
    updateLive(obj, (d) => ({ ...d, currentMemoryKiB: kib }));
    host.emit({ kind: 'balloon-change', domain: obj.ref, time: host.clock(), actualKiB: kib });
  }
}

/** virDomainSetVcpusFlags: the number of online vCPUs (`<vcpu current>`). */
export function setVcpus(host: TestHost, dom: DomainRef, count: number, flags: AffectFlags): void {
  const obj = host.domains.resolve(dom);
  const targets = checkSetVcpus(obj, count, flags);
  if (targets.config) updateConfig(obj, (d) => ({ ...d, vcpu: { ...d.vcpu, current: count } }));
  if (targets.live) updateLive(obj, (d) => ({ ...d, vcpu: { ...d.vcpu, current: count } }));
}
