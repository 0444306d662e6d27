/**
 * The qemu driver's table entries, bound to one {@link QemuHost}. Read-only checks and missing entries
 * are the dispatcher's business (dispatch.ts). close() lets every QEMU run on (they outlive the process
 * holding the driver) except the AUTODESTROY ones, as libvirt does when their connection closes.
 */
import { execFile } from 'node:child_process';
import { cpus, hostname, totalmem } from 'node:os';
import { promisify } from 'node:util';
import type { DomainRef } from '../../domain/domain-ref.ts';
import { toVirtmonError } from '../../domain/errors.ts';
import { formatDomainXml } from '../../domain/xml-format.ts';
import type { StatsTarget } from '../../domain/stats-target.ts';
import type { ConnectionEntries, DomainInfo, DomainListEntry, NodeInfo } from '../driver.ts';
import * as config from './config-ops.ts';
import type { QemuDomain, QemuHost } from './host.ts';
import { activeRun } from './host.ts';
import { attachDevice, detachDevice } from './lifecycle/hotplug.ts';
import { destroy } from './lifecycle/destroy.ts';
import { setMemory } from './lifecycle/memory.ts';
import { resume, suspend } from './lifecycle/pause.ts';
import { reboot, reset, shutdown } from './lifecycle/power.ts';
import { restore } from './lifecycle/restore.ts';
import { managedSave, managedSaveRemove, save } from './lifecycle/save.ts';
import { createXML, start } from './lifecycle/start.ts';
import { processCpuTimeNs } from './proc.ts';
import { qmpInterrupted } from './qmp/errors.ts';
import type { QemuRun } from './run.ts';

const exec = promisify(execFile);

/** Builds the entries of a connection to `host`; `release` runs last in close(). */
export function buildQemuConnection(host: QemuHost, release: () => Promise<void>): ConnectionEntries {
  return withVirtmonErrors(entries(host, release));
}

/** Every rejection is a VirtmonError (a file or socket error becomes SYSTEM_ERROR with its cause). */
function withVirtmonErrors(e: ConnectionEntries): ConnectionEntries {
  const out: Record<string, unknown> = {};
  for (const [key, fn] of Object.entries(e)) {
    if (typeof fn !== 'function' || key === 'getType' || key === 'onDomainEvent') {
      out[key] = fn;
      continue;
    }
    out[key] = (...args: unknown[]): Promise<unknown> =>
      (fn as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => { throw toVirtmonError(err); });
  }
  return out as unknown as ConnectionEntries;
}

function entries(host: QemuHost, release: () => Promise<void>): ConnectionEntries {
  const d = host.domains;
  const get = (dom: DomainRef): QemuDomain => d.resolve(dom);
  const run = <T>(fn: () => T | Promise<T>): Promise<T> => new Promise<T>((resolve) => { resolve(fn()); });
  let version: Promise<string> | undefined;
  return {
    close: async () => {
      await closeHost(host);
      await release();
    },
    getType: () => 'QEMU',
    getVersion: () => {
      version ??= qemuVersion(host.settings.emulator ?? 'qemu-system-x86_64');
      return version;
    },
    getHostname: () => run(() => hostname()),
    nodeGetInfo: () => run(nodeInfo),
    listAllDomains: () => run(() => d.all().map(listEntry)),
    lookupByName: (name) => run(() => d.getByName(name).ref),
    lookupByUUID: (uuid) => run(() => d.getByUuid(uuid).ref),
    lookupByID: (id) => run(() => d.getById(id).ref),
    defineXML: (xml) => config.defineXML(host, xml),
    undefine: (dom, flags) => config.undefine(host, dom, flags),
    createXML: (xml, flags) => createXML(host, xml, flags),
    create: (dom, flags) => start(host, dom, flags),
    shutdown: (dom) => shutdown(host, dom),
    destroy: (dom, flags) => destroy(host, dom, flags),
    suspend: (dom) => suspend(host, dom),
    resume: (dom) => resume(host, dom),
    reboot: (dom) => reboot(host, dom),
    reset: (dom) => reset(host, dom),
    save: (dom, path, flags) => save(host, dom, path, flags),
    restore: (path, flags) => restore(host, path, flags),
    managedSave: (dom, flags) => managedSave(host, dom, flags),
    managedSaveRemove: (dom) => managedSaveRemove(host, dom),
    hasManagedSaveImage: (dom) => run(() => get(dom).hasManagedSave),
    getInfo: (dom) => run(() => domainInfo(get(dom))),
    getState: (dom) => run(() => { const o = get(dom); return { state: o.state, reason: o.reason }; }),
    getXMLDesc: (dom, flags) => run(() => {
      const o = get(dom);
      return flags.inactive === true ? formatDomainXml(o.persistentDef() ?? o.def) : host.liveXml(o);
    }),
    isActive: (dom) => run(() => get(dom).isActive()),
    isPersistent: (dom) => run(() => get(dom).persistent),
    getAutostart: (dom) => run(() => get(dom).autostart),
    setAutostart: (dom, on) => config.setAutostart(host, dom, on),
    setMemory: (dom, kib, flags) => setMemory(host, dom, kib, flags),
    attachDevice: (dom, xml, flags) => attachDevice(host, dom, xml, flags),
    detachDevice: (dom, xml, flags) => detachDevice(host, dom, xml, flags),
    onDomainEvent: (listener) => host.events.subscribe(listener),
    statsTargets: () => run(() => d.all().map(statsTarget)),
  };
}

/** Autodestroy domains go; every other QEMU keeps running and its monitor is just closed. */
async function closeHost(host: QemuHost): Promise<void> {
  for (const obj of host.domains.all()) {
    if (obj.priv.autodestroy && obj.isActive()) {
      await destroy(host, obj.ref, {}).catch((err: unknown) => { host.log.error({ err, domain: obj.name }, 'autodestroy failed'); });
    }
  }
  host.closed = true;
  for (const obj of host.domains.all()) {
    const r = obj.priv.run;
    if (r === undefined) continue;
    if (r.reconnectTimer !== undefined) clearTimeout(r.reconnectTimer);
    const qmp = r.qmp;
    r.qmp = undefined;
    await qmp?.close();
  }
  await Promise.race([Promise.allSettled([...host.background]), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  host.events.clear();
}

async function qemuVersion(binary: string): Promise<string> {
  const { stdout } = await exec(binary, ['--version'], { timeout: 10_000 });
  const m = /version (\d+)\.(\d+)\.(\d+)/.exec(stdout);
  return m === null ? '0.0.0' : `${m[1]}.${m[2]}.${m[3]}`;
}

function nodeInfo(): NodeInfo {
  const list = cpus();
  return {
    model: process.arch === 'x64' ? 'x86_64' : process.arch, memoryKiB: Math.floor(totalmem() / 1024), cpus: list.length,
    mhz: list[0]?.speed ?? 0, nodes: 1, sockets: 1, cores: list.length, threads: 1,
  };
}

function listEntry(o: QemuDomain): DomainListEntry {
  const entry = {
    ...o.ref, state: o.state, reason: o.reason, persistent: o.persistent, autostart: o.autostart, managedSave: o.hasManagedSave,
  };
  return o.def.title === undefined ? entry : { ...entry, title: o.def.title };
}

/** virDomainGetInfo: cpuTime is utime+stime of the QEMU process. */
async function domainInfo(o: QemuDomain): Promise<DomainInfo> {
  const r = activeRun(o);
  return {
    state: o.state,
    maxMemKiB: o.def.memoryKiB,
    memoryKiB: o.def.currentMemoryKiB,
    nrVirtCpu: o.def.vcpu.current,
    cpuTimeNs: r === undefined ? 0n : await processCpuTimeNs(r.pid),
  };
}

/** A QMP executor that follows the run's monitor across reconnects and fails fast while it is lost. */
function executorOf(o: QemuDomain, r: QemuRun): NonNullable<StatsTarget['qmp']> {
  return {
    execute: <T>(command: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal; timeoutMs?: number }) => {
      const qmp = r.qmp;
      if (qmp === undefined || qmp.state !== 'ready' || r.finished) {
        return Promise.reject(qmpInterrupted(`QEMU monitor of domain '${o.name}' is not connected`));
      }
      return qmp.execute<T>(command, args, options);
    },
  };
}

/** What the collectors sample for one domain. */
function statsTarget(o: QemuDomain): StatsTarget {
  const base = { ref: o.ref, def: o.def, state: () => ({ state: o.state, reason: o.reason }), persistent: o.persistent };
  const r = activeRun(o);
  if (r === undefined) return { ...base, disks: [], nics: [] };
  return {
    ...base,
    pid: r.pid,
    vcpuTids: [...r.vcpuTids],
    ...(r.cgroup === undefined ? {} : { cgroup: r.cgroup.placement }),
    qmp: executorOf(o, r),
    ...(r.balloon === undefined ? {} : { balloonQomPath: r.balloon.qomPath }),
    disks: [...r.disks],
    nics: r.nics.map((n) => ({ index: n.index, ...(n.hostDev === undefined ? {} : { hostDev: n.hostDev }), swapRxTx: true })),
  };
}
