/**
 * The public side of the driver table (libvirt's src/libvirt-domain.c): `openConnection` probes the
 * drivers for a URI, and {@link Connection} exposes every entry, raising the catalog's NO_SUPPORT
 * error for one the driver lacks and OPERATION_DENIED for a change on a read-only connection.
 */
import type { DomainRef } from '../domain/domain-ref.ts';
import { VirtmonError, toVirtmonError, unsupported } from '../domain/errors.ts';
import type { DomainEventListener } from '../domain/events.ts';
import type { StateWithReason } from '../domain/states.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import type {
  AffectFlags, AgentAlerts, ConnectionEntries, DomainInfo, DomainListEntry, HypervisorDriver, MemoryFlags, NodeInfo, OpenOptions, SaveFlags,
  SecurityLabel, SecurityModel, StartFlags, UndefineFlags,
} from './driver.ts';
import type { ParsedUri } from './uri.ts';

type Entries = Required<ConnectionEntries>;

/** An open connection: a driver's entries behind libvirt's public-API checks. */
export class Connection {
  readonly uri: ParsedUri;
  readonly driverName: string;
  readonly readOnly: boolean;
  readonly #entries: ConnectionEntries;
  #closed = false;

  constructor(uri: ParsedUri, driverName: string, entries: ConnectionEntries, readOnly: boolean) {
    this.uri = uri;
    this.driverName = driverName;
    this.#entries = entries;
    this.readOnly = readOnly;
  }

  /** The entry bound to the driver, or the error to raise (closed connection, NO_SUPPORT, OPERATION_DENIED). */
  #lookup<K extends keyof Entries>(key: K, api: string, write: boolean): Entries[K] | VirtmonError {
    if (this.#closed) return new VirtmonError('VIR_ERR_INTERNAL_ERROR', 'the connection is closed');
    if (write && this.readOnly) return new VirtmonError('VIR_ERR_OPERATION_DENIED');
    const fn = this.#entries[key];
    if (typeof fn !== 'function') return unsupported(api);
    return (fn as (...args: unknown[]) => unknown).bind(this.#entries) as Entries[K];
  }

  /** For the synchronous entries: the bound entry, or a thrown error. */
  #need<K extends keyof Entries>(key: K, api: string): Entries[K] {
    const found = this.#lookup(key, api, false);
    if (found instanceof VirtmonError) throw found;
    return found;
  }

  /**
   * For the asynchronous entries: the bound entry, or one that returns the rejection. Errors always
   * arrive as rejections, also when a driver entry throws synchronously.
   */
  #async<K extends keyof Entries>(key: K, api: string, write = false): Entries[K] {
    const found = this.#lookup(key, api, write);
    if (found instanceof VirtmonError) return (() => Promise.reject(found)) as unknown as Entries[K];
    const fn = found as (...args: unknown[]) => Promise<unknown>;
    return ((...args: unknown[]) => {
      try {
        return fn(...args);
      } catch (e) {
        return Promise.reject(toVirtmonError(e));
      }
    }) as Entries[K];
  }

  /** Like #async, for entries that change something: refused on a read-only connection. */
  #needWrite<K extends keyof Entries>(key: K, api: string): Entries[K] {
    return this.#async(key, api, true);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#entries.close();
  }

  getType(): string { return this.#need('getType', 'virConnectGetType')(); }
  getVersion(): Promise<string> { return this.#async('getVersion', 'virConnectGetVersion')(); }
  getHostname(): Promise<string> { return this.#async('getHostname', 'virConnectGetHostname')(); }
  nodeGetInfo(): Promise<NodeInfo> { return this.#async('nodeGetInfo', 'virNodeGetInfo')(); }
  nodeGetSecurityModel(): Promise<SecurityModel> {
    return this.#async('nodeGetSecurityModel', 'virNodeGetSecurityModel')();
  }
  listAllDomains(): Promise<DomainListEntry[]> { return this.#async('listAllDomains', 'virConnectListAllDomains')(); }
  lookupByName(name: string): Promise<DomainRef> { return this.#async('lookupByName', 'virDomainLookupByName')(name); }
  lookupByUUID(uuid: string): Promise<DomainRef> { return this.#async('lookupByUUID', 'virDomainLookupByUUID')(uuid); }
  lookupByID(id: number): Promise<DomainRef> { return this.#async('lookupByID', 'virDomainLookupByID')(id); }

  defineXML(xml: string): Promise<DomainRef> { return this.#needWrite('defineXML', 'virDomainDefineXML')(xml); }
  undefine(dom: DomainRef, flags: UndefineFlags = {}): Promise<void> {
    return this.#needWrite('undefine', 'virDomainUndefineFlags')(dom, flags);
  }
  createXML(xml: string, flags: StartFlags = {}): Promise<DomainRef> {
    return this.#needWrite('createXML', 'virDomainCreateXML')(xml, flags);
  }
  create(dom: DomainRef, flags: StartFlags = {}): Promise<DomainRef> {
    return this.#needWrite('create', 'virDomainCreateWithFlags')(dom, flags);
  }
  shutdown(dom: DomainRef): Promise<void> { return this.#needWrite('shutdown', 'virDomainShutdown')(dom); }
  destroy(dom: DomainRef, flags: { readonly graceful?: boolean } = {}): Promise<void> {
    return this.#needWrite('destroy', 'virDomainDestroyFlags')(dom, flags);
  }
  suspend(dom: DomainRef): Promise<void> { return this.#needWrite('suspend', 'virDomainSuspend')(dom); }
  resume(dom: DomainRef): Promise<void> { return this.#needWrite('resume', 'virDomainResume')(dom); }
  reboot(dom: DomainRef): Promise<void> { return this.#needWrite('reboot', 'virDomainReboot')(dom); }
  reset(dom: DomainRef): Promise<void> { return this.#needWrite('reset', 'virDomainReset')(dom); }
  save(dom: DomainRef, path: string, flags: SaveFlags = {}): Promise<void> {
    return this.#needWrite('save', 'virDomainSaveFlags')(dom, path, flags);
  }
  restore(path: string, flags: SaveFlags = {}): Promise<DomainRef> {
    return this.#needWrite('restore', 'virDomainRestoreFlags')(path, flags);
  }
  managedSave(dom: DomainRef, flags: SaveFlags = {}): Promise<void> {
    return this.#needWrite('managedSave', 'virDomainManagedSave')(dom, flags);
  }
  managedSaveRemove(dom: DomainRef): Promise<void> {
    return this.#needWrite('managedSaveRemove', 'virDomainManagedSaveRemove')(dom);
  }
  hasManagedSaveImage(dom: DomainRef): Promise<boolean> {
    return this.#async('hasManagedSaveImage', 'virDomainHasManagedSaveImage')(dom);
  }
  getInfo(dom: DomainRef): Promise<DomainInfo> { return this.#async('getInfo', 'virDomainGetInfo')(dom); }
  getState(dom: DomainRef): Promise<StateWithReason> { return this.#async('getState', 'virDomainGetState')(dom); }
  getOSType(dom: DomainRef): Promise<string> { return this.#async('getOSType', 'virDomainGetOSType')(dom); }
  getSecurityLabel(dom: DomainRef): Promise<SecurityLabel> {
    return this.#async('getSecurityLabel', 'virDomainGetSecurityLabel')(dom);
  }
  getXMLDesc(dom: DomainRef, flags: { readonly inactive?: boolean } = {}): Promise<string> {
    return this.#async('getXMLDesc', 'virDomainGetXMLDesc')(dom, flags);
  }
  isActive(dom: DomainRef): Promise<boolean> { return this.#async('isActive', 'virDomainIsActive')(dom); }
  isPersistent(dom: DomainRef): Promise<boolean> { return this.#async('isPersistent', 'virDomainIsPersistent')(dom); }
  getAutostart(dom: DomainRef): Promise<boolean> { return this.#async('getAutostart', 'virDomainGetAutostart')(dom); }
  setAutostart(dom: DomainRef, autostart: boolean): Promise<void> {
    return this.#needWrite('setAutostart', 'virDomainSetAutostart')(dom, autostart);
  }
  setMemory(dom: DomainRef, kib: number, flags: MemoryFlags = {}): Promise<void> {
    return this.#needWrite('setMemory', 'virDomainSetMemoryFlags')(dom, kib, flags);
  }
  setVcpus(dom: DomainRef, count: number, flags: AffectFlags = {}): Promise<void> {
    return this.#needWrite('setVcpus', 'virDomainSetVcpusFlags')(dom, count, flags);
  }
  attachDevice(dom: DomainRef, xml: string, flags: AffectFlags = {}): Promise<void> {
    return this.#needWrite('attachDevice', 'virDomainAttachDeviceFlags')(dom, xml, flags);
  }
  detachDevice(dom: DomainRef, xml: string, flags: AffectFlags = {}): Promise<void> {
    return this.#needWrite('detachDevice', 'virDomainDetachDeviceFlags')(dom, xml, flags);
  }
  /** Subscribes to every domain event; the returned function unsubscribes. */
  onDomainEvent(listener: DomainEventListener): () => void {
    return this.#need('onDomainEvent', 'virConnectDomainEventRegisterAny')(listener);
  }
  statsTargets(): Promise<StatsTarget[]> { return this.#async('statsTargets', 'virConnectGetAllDomainStats')(); }
  /** The alert states of the agent behind the connection (remote driver only). */
  getAlerts(): Promise<AgentAlerts> { return this.#async('getAlerts', 'virtmonGetAlerts')(); }

  /** True when the driver implements the entry (lets callers choose a fallback without try/catch). */
  supports(entry: keyof ConnectionEntries): boolean {
    return typeof this.#entries[entry] === 'function';
  }

  /**
   * Resolves a user's domain argument the way virsh does (virshLookupDomainBy): a number is tried
   * as an id, then a UUID, then the name. Throws NO_DOMAIN naming the argument as given.
   */
  async lookupDomain(arg: string): Promise<DomainRef> {
    if (/^\d+$/.test(arg) && this.supports('lookupByID')) {
      const id = Number(arg);
      try { return await this.lookupByID(id); } catch (e) { if (!isNoDomain(e)) throw e; }
    }
    if (/^[0-9a-fA-F-]{32,36}$/.test(arg) && this.supports('lookupByUUID')) {
      try { return await this.lookupByUUID(arg); } catch (e) { if (!isNoDomain(e)) throw e; }
    }
    return this.lookupByName(arg);
  }
}

function isNoDomain(e: unknown): boolean {
  return e instanceof VirtmonError && e.code === 'VIR_ERR_NO_DOMAIN';
}

/**
 * Probes the drivers in order: the first that does not decline owns the URI; an error from a driver
 * that recognised its URI stops the probe (libvirt's VIR_DRV_OPEN_ERROR). No taker → NO_CONNECT.
 */
export async function openConnection(
  uri: ParsedUri,
  drivers: readonly HypervisorDriver[],
  options: OpenOptions = {},
): Promise<Connection> {
  for (const driver of drivers) {
    if (!driver.uriSchemes.includes(uri.driver)) continue;
    if (driver.localOnly && uri.host !== '') continue;
    const opened = await driver.open(uri, options);
    if (opened === 'declined') continue;
    return new Connection(uri, driver.name, opened, options.readOnly === true);
  }
  throw new VirtmonError('VIR_ERR_NO_CONNECT', uri.raw);
}
