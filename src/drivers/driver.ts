/**
 * The driver table, after libvirt's src/driver-hypervisor.h: a driver names itself and its URI schemes
 * and answers `open()` with a connection, `'declined'` (not my URI: probe the next driver) or a thrown
 * error (mine, but it failed: stop probing). A connection implements only the entries it supports;
 * {@link Connection} in dispatch.ts turns a missing entry into the catalog's NO_SUPPORT error, so no
 * driver carries stubs.
 */
import type { DomainRef } from '../domain/domain-ref.ts';
import type { DomainEventListener } from '../domain/events.ts';
import type { Logger } from '../domain/logger.ts';
import type { DomainStateCode, StateWithReason } from '../domain/states.ts';
import type { QmpObserver } from '../domain/qmp-observer.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import type { ParsedUri } from './uri.ts';

/** virNodeInfo. */
export interface NodeInfo {
  readonly model: string;
  readonly memoryKiB: number;
  readonly cpus: number;
  readonly mhz: number;
  readonly nodes: number;
  readonly sockets: number;
  readonly cores: number;
  readonly threads: number;
}

/** virDomainInfo. */
export interface DomainInfo {
  readonly state: DomainStateCode;
  readonly maxMemKiB: number;
  readonly memoryKiB: number;
  readonly nrVirtCpu: number;
  readonly cpuTimeNs: bigint;
}

/** virSecurityModel: the host's security driver; an empty model means none is active. */
export interface SecurityModel {
  readonly model: string;
  /** Domain of interpretation, printed as is (`0`). */
  readonly doi: string;
}

/** virSecurityLabel of a domain; inactive domains have an empty label. */
export interface SecurityLabel {
  readonly label: string;
  readonly enforcing: boolean;
}

/** One row of virConnectListAllDomains, with the flags `virsh list` filters on. */
export interface DomainListEntry extends DomainRef, StateWithReason {
  readonly persistent: boolean;
  readonly autostart: boolean;
  readonly managedSave: boolean;
  readonly title?: string;
}

/** Which definition a change applies to (VIR_DOMAIN_AFFECT_*). Neither set = CURRENT. */
export interface AffectFlags {
  readonly live?: boolean;
  readonly config?: boolean;
}

/** virDomainSetMemoryFlags flags: AFFECT_* plus VIR_DOMAIN_MEM_MAXIMUM (`virsh setmaxmem`). */
export interface MemoryFlags extends AffectFlags {
  /** Change the maximum (`<memory>`) instead of the current balloon target; config only. */
  readonly maximum?: boolean;
}

/** Start flags (VIR_DOMAIN_START_*). */
export interface StartFlags {
  readonly paused?: boolean;
  readonly autodestroy?: boolean;
  readonly bypassCache?: boolean;
  readonly forceBoot?: boolean;
}

/** Undefine flags (VIR_DOMAIN_UNDEFINE_*). */
export interface UndefineFlags {
  readonly managedSave?: boolean;
}

/** Restore/save flags. */
export interface SaveFlags {
  readonly running?: boolean;
  readonly paused?: boolean;
}

/** Options given to every driver's open(). */
export interface OpenOptions {
  /** A read-only connection refuses every change with VIR_ERR_OPERATION_DENIED. */
  readonly readOnly?: boolean;
  /** Wall clock (ms since epoch) for drivers that simulate time; defaults to Date.now. */
  readonly clock?: () => number;
  /** Where the driver logs (a pino child in the agent); silent when absent. */
  readonly logger?: Logger;
  /** Driver-specific settings from the agent's config (state dirs, qemu binary …). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Told each QMP command's round trip (qemu driver); the agent feeds its QMP metrics from it. */
  readonly qmpObserver?: QmpObserver;
}

/**
 * The entries a connection may implement. Everything except `close` is optional; each maps to the
 * libvirt API named in its comment, whose name the NO_SUPPORT error quotes.
 */
export interface ConnectionEntries {
  close(): Promise<void>;
  /** virConnectGetType: `TEST`, `QEMU`. */
  getType?(): string;
  /** virConnectGetVersion: hypervisor version as `major.minor.micro`. */
  getVersion?(): Promise<string>;
  /** virConnectGetHostname. */
  getHostname?(): Promise<string>;
  /** virNodeGetInfo. */
  nodeGetInfo?(): Promise<NodeInfo>;
  /** virNodeGetSecurityModel. */
  nodeGetSecurityModel?(): Promise<SecurityModel>;
  /** virConnectListAllDomains. */
  listAllDomains?(): Promise<DomainListEntry[]>;
  /** virDomainLookupByName. */
  lookupByName?(name: string): Promise<DomainRef>;
  /** virDomainLookupByUUID(String). */
  lookupByUUID?(uuid: string): Promise<DomainRef>;
  /** virDomainLookupByID. */
  lookupByID?(id: number): Promise<DomainRef>;
  /** virDomainDefineXML. */
  defineXML?(xml: string): Promise<DomainRef>;
  /** virDomainUndefineFlags. */
  undefine?(dom: DomainRef, flags: UndefineFlags): Promise<void>;
  /** virDomainCreateXML: a transient domain. */
  createXML?(xml: string, flags: StartFlags): Promise<DomainRef>;
  /** virDomainCreateWithFlags: start a defined domain. */
  create?(dom: DomainRef, flags: StartFlags): Promise<DomainRef>;
  /** virDomainShutdown. */
  shutdown?(dom: DomainRef): Promise<void>;
  /** virDomainDestroyFlags. */
  destroy?(dom: DomainRef, flags: { readonly graceful?: boolean }): Promise<void>;
  /** virDomainSuspend. */
  suspend?(dom: DomainRef): Promise<void>;
  /** virDomainResume. */
  resume?(dom: DomainRef): Promise<void>;
  /** virDomainReboot. */
  reboot?(dom: DomainRef): Promise<void>;
  /** virDomainReset. */
  reset?(dom: DomainRef): Promise<void>;
  /** virDomainSaveFlags. */
  save?(dom: DomainRef, path: string, flags: SaveFlags): Promise<void>;
  /** virDomainRestoreFlags. */
  restore?(path: string, flags: SaveFlags): Promise<DomainRef>;
  /** virDomainManagedSave. */
  managedSave?(dom: DomainRef, flags: SaveFlags): Promise<void>;
  /** virDomainManagedSaveRemove. */
  managedSaveRemove?(dom: DomainRef): Promise<void>;
  /** virDomainHasManagedSaveImage. */
  hasManagedSaveImage?(dom: DomainRef): Promise<boolean>;
  /** virDomainGetInfo. */
  getInfo?(dom: DomainRef): Promise<DomainInfo>;
  /** virDomainGetState. */
  getState?(dom: DomainRef): Promise<StateWithReason>;
  /** virDomainGetOSType: `hvm` for QEMU, `linux` for the test driver. */
  getOSType?(dom: DomainRef): Promise<string>;
  /** virDomainGetSecurityLabel. */
  getSecurityLabel?(dom: DomainRef): Promise<SecurityLabel>;
  /** virDomainGetXMLDesc (`inactive`: the persistent config instead of the live one). */
  getXMLDesc?(dom: DomainRef, flags: { readonly inactive?: boolean }): Promise<string>;
  /** virDomainIsActive. */
  isActive?(dom: DomainRef): Promise<boolean>;
  /** virDomainIsPersistent. */
  isPersistent?(dom: DomainRef): Promise<boolean>;
  /** virDomainGetAutostart. */
  getAutostart?(dom: DomainRef): Promise<boolean>;
  /** virDomainSetAutostart. */
  setAutostart?(dom: DomainRef, autostart: boolean): Promise<void>;
  /** virDomainSetMemoryFlags (KiB). */
  setMemory?(dom: DomainRef, kib: number, flags: MemoryFlags): Promise<void>;
  /** virDomainSetVcpusFlags. */
  setVcpus?(dom: DomainRef, count: number, flags: AffectFlags): Promise<void>;
  /** virDomainAttachDeviceFlags (device XML). */
  attachDevice?(dom: DomainRef, xml: string, flags: AffectFlags): Promise<void>;
  /** virDomainDetachDeviceFlags (device XML). */
  detachDevice?(dom: DomainRef, xml: string, flags: AffectFlags): Promise<void>;
  /** virConnectDomainEventRegisterAny for every event id; returns the deregistration. */
  onDomainEvent?(listener: DomainEventListener): () => void;
  /** What the collectors sample: every domain, active or not. */
  statsTargets?(): Promise<StatsTarget[]>;
  /** virtmon's own: the alert rules' live states of the agent behind a remote connection (GET /v1/alerts). */
  getAlerts?(): Promise<AgentAlerts>;
}

/** One rule on one domain as an agent reports it (src/alerts/engine.ts RuleDomainState on the wire). */
export interface AgentAlertState {
  readonly rule: string;
  readonly domain: string;
  readonly uuid: string;
  /** `okay`, `warning` or `failure`. */
  readonly severity: string;
  /** Epoch ms of the last transition (0: never left okay). */
  readonly since: number;
  readonly missing: boolean;
  readonly pending: boolean;
  readonly value?: number;
}

/** What an agent answers for its alerts: the rules file ('' when none) and the states. */
export interface AgentAlerts {
  readonly file: string;
  readonly rules: readonly { readonly name: string }[];
  readonly states: readonly AgentAlertState[];
}

/** A hypervisor driver (one row of the driver table). */
export interface HypervisorDriver {
  /** Driver name as in URIs: `test`, `qemu`, `remote`. */
  readonly name: string;
  /** URI schemes this driver probes for. */
  readonly uriSchemes: readonly string[];
  /** True when the driver refuses URIs with a host (they belong to the remote driver). */
  readonly localOnly: boolean;
  /** Opens a connection, or declines the URI so the next driver can try. */
  open(uri: ParsedUri, options: OpenOptions): Promise<ConnectionEntries | 'declined'>;
}
