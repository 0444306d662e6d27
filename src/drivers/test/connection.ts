/**
 * The test driver's table entries: every {@link ConnectionEntries} entry, bound to one {@link TestHost}.
 * Read-only checks and missing entries are the dispatcher's business (dispatch.ts); this file maps each
 * libvirt API onto the host's operations and reads.
 */
import { hostname } from 'node:os';
import type { DomainRef } from '../../domain/domain-ref.ts';
import { isActiveState } from '../../domain/states.ts';
import type { StatsTarget } from '../../domain/stats-target.ts';
import { formatDomainXml } from '../../domain/xml-format.ts';
import type { ConnectionEntries, DomainInfo, DomainListEntry } from '../driver.ts';
import * as config from './config-ops.ts';
import { attachDevice, detachDevice } from './devices.ts';
import { TEST_HYPERVISOR, TEST_OS_TYPE, TEST_SECURITY } from './default-host.ts';
import type { TestDomain, TestHost } from './host.ts';
import * as life from './lifecycle.ts';

/** Builds the entries of a connection to `host`. */
export function buildTestConnection(host: TestHost): ConnectionEntries {
  const d = host.domains;
  const get = (dom: DomainRef): TestDomain => d.resolve(dom);
  // Every entry is async as the table requires; sync bodies run inside the promise so throws become rejections.
  const run = <T>(fn: () => T): Promise<T> => new Promise<T>((resolve) => { resolve(fn()); });
  return {
    close: () => run(() => { closeHost(host); }),
    getType: () => TEST_HYPERVISOR.type,
    getVersion: () => run(() => TEST_HYPERVISOR.version),
    getHostname: () => run(() => hostname()),
    nodeGetInfo: () => run(() => ({ ...host.nodeInfo })),
    nodeGetSecurityModel: () => run(() => ({ model: TEST_SECURITY.model, doi: TEST_SECURITY.doi })),
    listAllDomains: () => run(() => d.all().map(listEntry)),
    lookupByName: (name) => run(() => d.getByName(name).ref),
    lookupByUUID: (uuid) => run(() => d.getByUuid(uuid).ref),
    lookupByID: (id) => run(() => d.getById(id).ref),
    defineXML: (xml) => run(() => config.defineXML(host, xml)),
    undefine: (dom, flags) => run(() => { config.undefine(host, dom, flags); }),
    createXML: (xml, flags) => run(() => life.createXML(host, xml, flags)),
    create: (dom, flags) => run(() => life.start(host, dom, flags)),
    shutdown: (dom) => run(() => { life.shutdown(host, dom); }),
    destroy: (dom) => run(() => { life.destroy(host, dom); }),
    suspend: (dom) => run(() => { life.suspend(host, dom); }),
    resume: (dom) => run(() => { life.resume(host, dom); }),
    reboot: (dom) => run(() => { life.reboot(host, dom); }),
    reset: (dom) => run(() => { life.reset(host, dom); }),
    save: (dom, path, flags) => life.save(host, dom, path, flags),
    restore: (path, flags) => life.restore(host, path, flags),
    managedSave: (dom, flags) => run(() => { life.managedSave(host, dom, flags); }),
    managedSaveRemove: (dom) => run(() => { life.managedSaveRemove(host, dom); }),
    hasManagedSaveImage: (dom) => run(() => get(dom).hasManagedSave),
    getInfo: (dom) => run(() => domainInfo(get(dom))),
    getOSType: (dom) => run(() => { get(dom); return TEST_OS_TYPE; }),
    // Only a running domain has a label (qemu's rule; libvirt's test driver labels inactive ones too).
    getSecurityLabel: (dom) => run(() => (get(dom).isActive()
      ? { label: TEST_SECURITY.label, enforcing: TEST_SECURITY.enforcing }
      : { label: '', enforcing: false })),
    getState: (dom) => run(() => { const o = get(dom); return { state: o.state, reason: o.reason }; }),
    getXMLDesc: (dom, flags) => run(() => xmlDesc(get(dom), flags.inactive === true)),
    isActive: (dom) => run(() => get(dom).isActive()),
    isPersistent: (dom) => run(() => get(dom).persistent),
    getAutostart: (dom) => run(() => get(dom).autostart),
    setAutostart: (dom, autostart) => run(() => { config.setAutostart(host, dom, autostart); }),
    setMemory: (dom, kib, flags) => run(() => { config.setMemory(host, dom, kib, flags); }),
    setVcpus: (dom, count, flags) => run(() => { config.setVcpus(host, dom, count, flags); }),
    attachDevice: (dom, xml, flags) => run(() => { attachDevice(host, dom, xml, flags); }),
    detachDevice: (dom, xml, flags) => run(() => { detachDevice(host, dom, xml, flags); }),
    onDomainEvent: (listener) => host.events.subscribe(listener),
    statsTargets: () => run(() => d.all().map((o) => statsTarget(o))),
  };
}

/** Connection close: autodestroy domains go (qemuProcessAutoDestroy), listeners are dropped. */
function closeHost(host: TestHost): void {
  for (const obj of host.domains.all()) {
    if (obj.priv.autodestroy && obj.isActive()) life.destroy(host, obj.ref);
  }
  host.events.clear();
}

function listEntry(o: TestDomain): DomainListEntry {
  const entry = {
    ...o.ref, state: o.state, reason: o.reason, persistent: o.persistent, autostart: o.autostart,
    managedSave: o.hasManagedSave,
  };
  return o.def.title === undefined ? entry : { ...entry, title: o.def.title };
}

/** virDomainGetInfo; cpuTime is the synthetic `cpu.time`, so dominfo and domstats agree. */
function domainInfo(o: TestDomain): DomainInfo {
  let cpuTimeNs = 0n;
  if (isActiveState(o.state)) {
    const fields = new Map<string, bigint | number | string | boolean>();
    o.priv.stats.fill('cpu-total', fields, o);
    const t = fields.get('cpu.time');
    if (typeof t === 'bigint') cpuTimeNs = t;
  }
  return {
    state: o.state,
    maxMemKiB: o.def.memoryKiB,
    memoryKiB: o.def.currentMemoryKiB,
    nrVirtCpu: o.def.vcpu.current,
    cpuTimeNs,
  };
}

/** virDomainGetXMLDesc: the live definition with its id while active; `inactive` asks for the config. */
function xmlDesc(o: TestDomain, inactive: boolean): string {
  if (inactive) return formatDomainXml(o.newDef ?? o.def);
  return o.isActive() ? formatDomainXml(o.def, { id: o.id }) : formatDomainXml(o.def);
}

/** What the collectors sample for one domain. */
function statsTarget(o: TestDomain): StatsTarget {
  const def = o.def;
  return {
    ref: o.ref,
    def,
    state: () => ({ state: o.state, reason: o.reason }),
    persistent: o.persistent,
    disks: def.devices.disks.map((disk, index) => ({
      index, target: disk.target.dev, ...(disk.source === undefined ? {} : { path: disk.source }),
    })),
    nics: def.devices.interfaces.map((nic, index) => ({
      index, ...(nic.targetDev === undefined ? {} : { hostDev: nic.targetDev }), swapRxTx: nic.type !== 'direct',
    })),
    synthetic: o.priv.stats.sourceFor(() => o),
  };
}
