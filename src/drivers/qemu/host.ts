/**
 * One qemu driver instance's state (libvirt's virQEMUDriver): settings and file layout, the domain
 * list, the event hub, persistent configs, cgroups, and the per-domain status-file writer. Operations
 * (lifecycle/*.ts) and monitor event handlers change domains through it, so every state change is
 * written to the status file and every event carries the domain as it is after the change.
 */
import type { DomainDef } from '../../domain/def.ts';
import type { DomainEvent, LifecycleTypeCode } from '../../domain/events.ts';
import type { Logger } from '../../domain/logger.ts';
import type { QmpObserver } from '../../domain/qmp-observer.ts';
import { formatDomainXml } from '../../domain/xml-format.ts';
import { DomainList } from '../common/domain-list.ts';
import type { DomainObj } from '../common/domain-list.ts';
import { EventHub } from '../common/event-hub.ts';
import { CgroupManager } from './cgroup.ts';
import { ConfigStore } from './config-store.ts';
import { JobLock } from './job-lock.ts';
import type { QemuDomainPriv, QemuRun } from './run.ts';
import type { QemuPaths, QemuSettings } from './settings.ts';
import { qemuPaths } from './settings.ts';
import { removeStatus, statusOf, writeStatus } from './status-file.ts';

/** A domain of the qemu driver. */
export type QemuDomain = DomainObj<QemuDomainPriv>;

/** Construction options of a {@link QemuHost}. */
export interface QemuHostOptions {
  readonly settings: QemuSettings;
  readonly logger: Logger;
  /** Passed to every QMP client the host creates. */
  readonly qmpObserver?: QmpObserver | undefined;
  readonly clock: () => number;
  /** First runtime id (after the ids of domains still running). */
  readonly firstId: number;
}

/** The state behind one qemu connection. */
export class QemuHost {
  readonly settings: QemuSettings;
  readonly paths: QemuPaths;
  readonly log: Logger;
  readonly clock: () => number;
  /** The connection's QMP observer (OpenOptions.qmpObserver), if any. */
  readonly qmpObserver: QmpObserver | undefined;
  readonly domains: DomainList<QemuDomainPriv>;
  readonly events: EventHub;
  readonly configs: ConfigStore;
  readonly cgroups: CgroupManager;
  /** Tap names being created by a start or attach right now (generated names must skip them). */
  readonly reservedTaps = new Set<string>();
  /** Background work (monitor EOF handling, fake reboots …) that close() waits for. */
  readonly background = new Set<Promise<unknown>>();
  readonly #statusChains = new Map<string, Promise<void>>();
  closed = false;

  constructor(options: QemuHostOptions) {
    this.settings = options.settings;
    this.paths = qemuPaths(options.settings);
    this.log = options.logger;
    this.qmpObserver = options.qmpObserver;
    this.clock = options.clock;
    this.domains = new DomainList<QemuDomainPriv>(() => ({ jobs: new JobLock(), run: undefined, autodestroy: false }), options.firstId);
    this.events = new EventHub((error, event) => {
      this.log.warn({ err: error, domain: event.domain.name, event: event.kind }, 'domain event listener threw');
    });
    this.configs = new ConfigStore(this.paths, this.log);
    this.cgroups = new CgroupManager({
      root: options.settings.cgroupRoot, partition: options.settings.cgroupPartition, enabled: options.settings.cgroups, logger: this.log,
    });
  }

  /** Runs `fn` holding the domain's job lock; waits up to the job timeout (libvirt: 30 s). */
  job<T>(obj: QemuDomain, what: string, fn: () => Promise<T>): Promise<T> {
    return obj.priv.jobs.run(what, this.settings.jobTimeoutMs, fn);
  }

  /** The driver's own jobs (finishing a stop, a fake reboot): they wait as long as it takes. */
  internalJob<T>(obj: QemuDomain, what: string, fn: () => Promise<T>): Promise<T> {
    return obj.priv.jobs.run(what, Infinity, fn);
  }

  /** Runs background work: tracked for close(), errors logged, never unhandled. */
  spawnBackground(what: string, obj: QemuDomain, fn: () => Promise<void>): void {
    const p = fn().catch((err: unknown) => {
      this.log.error({ err, domain: obj.name }, `${what} failed`);
    });
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  /** Emits a lifecycle event for the domain as it is now. */
  lifecycle(obj: QemuDomain, type: LifecycleTypeCode, detail: number): void {
    this.emit({ kind: 'lifecycle', domain: obj.ref, time: this.clock(), type, detail });
  }

  emit(event: DomainEvent): void {
    this.events.emit(event);
  }

  /** The live XML: definition, id and the aliases QEMU knows the devices by. */
  liveXml(obj: QemuDomain): string {
    const run = obj.priv.run;
    if (run === undefined || !obj.isActive()) return formatDomainXml(obj.def);
    return formatDomainXml(obj.def, { id: obj.id, aliases: liveAliases(obj.def, run) });
  }

  /**
   * Writes the status file with the domain as it is when the write runs. Writes and the removal of
   * one domain are serialized, so a late write can never bring back a removed file.
   */
  saveStatus(obj: QemuDomain): Promise<void> {
    return this.#chain(obj, async () => {
      const run = obj.priv.run;
      if (run === undefined || run.finished) return;
      await writeStatus(this.paths.statusFile(obj.name), statusOf(obj, run, obj.priv.autodestroy, this.liveXml(obj)));
    });
  }

  /** Like saveStatus, for event handlers: failures are logged, not thrown. */
  saveStatusLater(obj: QemuDomain): void {
    this.saveStatus(obj).catch((err: unknown) => {
      this.log.error({ err, domain: obj.name }, 'cannot write the domain status file');
    });
  }

  /** Removes the status file (serialized with the writes). */
  removeStatus(obj: QemuDomain): Promise<void> {
    const file = this.paths.statusFile(obj.name);
    return this.#chain(obj, () => removeStatus(file));
  }

  #chain(obj: QemuDomain, fn: () => Promise<void>): Promise<void> {
    const prev = this.#statusChains.get(obj.uuid) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.#statusChains.set(obj.uuid, tail);
    void tail.then(() => {
      if (this.#statusChains.get(obj.uuid) === tail) this.#statusChains.delete(obj.uuid);
    });
    return next;
  }
}

/** Device aliases of a running domain, by device position. */
export function liveAliases(def: DomainDef, run: QemuRun): { disks: (string | undefined)[]; interfaces: (string | undefined)[]; memballoon?: string } {
  return {
    disks: def.devices.disks.map((_, i) => run.disks[i]?.qdevId),
    interfaces: def.devices.interfaces.map((_, i) => run.nics[i]?.deviceId),
    ...(run.balloon === undefined ? {} : { memballoon: run.balloon.id }),
  };
}

/** The run of an active domain; undefined when inactive. */
export function activeRun(obj: QemuDomain): QemuRun | undefined {
  const run = obj.priv.run;
  return run !== undefined && !run.finished && obj.isActive() ? run : undefined;
}
