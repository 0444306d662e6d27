/**
 * A driver connection whose entries are calls to an agent's control API (libvirt's remote driver,
 * REST instead of XDR). Domains travel by UUID; results and errors come back in the driver table's
 * own types, so nothing above the driver table can tell a remote connection from a local one.
 */
import type { DomainRef } from '../../domain/domain-ref.ts';
import type { StateWithReason } from '../../domain/states.ts';
import type {
  AffectFlags, AgentAlerts, ConnectionEntries, DomainInfo, DomainListEntry, MemoryFlags, NodeInfo, SaveFlags, SecurityLabel, SecurityModel,
  StartFlags, UndefineFlags,
} from '../driver.ts';
import { subscribeEvents } from './events.ts';
import { remoteStatsTargets, type WireStats } from './stats-targets.ts';
import { call, type AgentTarget } from './transport.ts';

/** What GET /v1/connection answers. */
export interface AgentConnectionInfo {
  readonly uri: string;
  readonly driver: string;
  readonly type: string | null;
  readonly version: string | null;
  readonly hostname: string | null;
}

interface Done { readonly domain: DomainRef }

const dom = (ref: DomainRef, rest = ''): string => `/v1/domains/${encodeURIComponent(ref.uuid)}${rest}`;
/** Keeps only the flags that are set (the API treats a missing flag as false). */
const setFlags = (flags: object): Record<string, true> =>
  Object.fromEntries(Object.entries(flags).filter(([, v]) => v === true).map(([k]) => [k, true] as const));

/** Builds the entries over `target`; `info` is what the agent said at open. */
export function buildRemoteConnection(target: AgentTarget, info: AgentConnectionInfo): ConnectionEntries {
  const get = <T>(path: string): Promise<T> => call<T>(target, 'GET', path);
  const post = <T>(path: string, body: object = {}): Promise<T> => call<T>(target, 'POST', path, body);
  const put = <T>(path: string, body: object): Promise<T> => call<T>(target, 'PUT', path, body);
  const value = async <T>(ref: DomainRef, what: string): Promise<T> => (await get<{ value: T }>(dom(ref, `/${what}`))).value;
  // Event streams still open at close() are ended with it, so nothing keeps the process alive.
  const streams = new Set<() => void>();
  const entries: ConnectionEntries = {
    close: () => {
      for (const end of [...streams]) end();
      return Promise.resolve();
    },
    getVersion: async () => info.version ?? (await get<AgentConnectionInfo>('/v1/connection')).version ?? '',
    getHostname: async () => info.hostname ?? (await get<AgentConnectionInfo>('/v1/connection')).hostname ?? '',
    nodeGetInfo: () => get<NodeInfo>('/v1/node'),
    nodeGetSecurityModel: () => get<SecurityModel>('/v1/node/security-model'),
    listAllDomains: () => get<DomainListEntry[]>('/v1/domains'),
    lookupByName: (name: string) => get<DomainRef>(`/v1/lookup/name/${encodeURIComponent(name)}`),
    lookupByUUID: (uuid: string) => get<DomainRef>(`/v1/lookup/uuid/${encodeURIComponent(uuid)}`),
    lookupByID: (id: number) => get<DomainRef>(`/v1/lookup/id/${id}`),
    defineXML: (xml: string) => post<DomainRef>('/v1/domains', { xml }),
    undefine: async (ref: DomainRef, flags: UndefineFlags) => {
      await call(target, 'DELETE', dom(ref, flags.managedSave === true ? '?managedSave=true' : ''));
    },
    createXML: (xml: string, flags: StartFlags) => post<DomainRef>('/v1/domains/create', { xml, ...setFlags(flags) }),
    create: async (ref: DomainRef, flags: StartFlags) => (await post<Done>(dom(ref, '/start'), setFlags(flags))).domain,
    shutdown: async (ref: DomainRef) => { await post(dom(ref, '/shutdown')); },
    destroy: async (ref: DomainRef, flags: { readonly graceful?: boolean }) => { await post(dom(ref, '/destroy'), setFlags(flags)); },
    suspend: async (ref: DomainRef) => { await post(dom(ref, '/suspend')); },
    resume: async (ref: DomainRef) => { await post(dom(ref, '/resume')); },
    reboot: async (ref: DomainRef) => { await post(dom(ref, '/reboot')); },
    reset: async (ref: DomainRef) => { await post(dom(ref, '/reset')); },
    save: async (ref: DomainRef, path: string, flags: SaveFlags) => { await post(dom(ref, '/save'), { path, ...setFlags(flags) }); },
    restore: async (path: string, flags: SaveFlags) => (await post<Done>('/v1/restore', { path, ...setFlags(flags) })).domain,
    managedSave: async (ref: DomainRef, flags: SaveFlags) => { await post(dom(ref, '/managed-save'), setFlags(flags)); },
    managedSaveRemove: async (ref: DomainRef) => { await call(target, 'DELETE', dom(ref, '/managed-save')); },
    hasManagedSaveImage: (ref: DomainRef) => value<boolean>(ref, 'managed-save'),
    getInfo: async (ref: DomainRef) => {
      const wire = await get<Omit<DomainInfo, 'cpuTimeNs'> & { cpuTimeNs: string }>(dom(ref, '/info'));
      return { ...wire, cpuTimeNs: BigInt(wire.cpuTimeNs) };
    },
    getState: async (ref: DomainRef) => {
      const s = await get<StateWithReason>(dom(ref, '/state'));
      return { state: s.state, reason: s.reason };
    },
    getOSType: (ref: DomainRef) => value<string>(ref, 'os-type'),
    getSecurityLabel: (ref: DomainRef) => value<SecurityLabel>(ref, 'security-label'),
    getXMLDesc: (ref: DomainRef, flags: { readonly inactive?: boolean }) =>
      get<string>(dom(ref, flags.inactive === true ? '/xml?inactive=true' : '/xml')),
    isActive: (ref: DomainRef) => value<boolean>(ref, 'active'),
    isPersistent: (ref: DomainRef) => value<boolean>(ref, 'persistent'),
    getAutostart: (ref: DomainRef) => value<boolean>(ref, 'autostart'),
    setAutostart: async (ref: DomainRef, autostart: boolean) => { await put(dom(ref, '/autostart'), { autostart }); },
    setMemory: async (ref: DomainRef, kib: number, flags: MemoryFlags) => { await put(dom(ref, '/memory'), { kib, ...setFlags(flags) }); },
    setVcpus: async (ref: DomainRef, count: number, flags: AffectFlags) => { await put(dom(ref, '/vcpus'), { count, ...setFlags(flags) }); },
    attachDevice: async (ref: DomainRef, xml: string, flags: AffectFlags) => { await post(dom(ref, '/devices'), { xml, ...setFlags(flags) }); },
    detachDevice: async (ref: DomainRef, xml: string, flags: AffectFlags) => { await post(dom(ref, '/devices/detach'), { xml, ...setFlags(flags) }); },
    onDomainEvent: (listener) => {
      const off = subscribeEvents(target, listener);
      const end = (): void => { streams.delete(end); off(); };
      streams.add(end);
      return end;
    },
    statsTargets: async () => remoteStatsTargets(await get<WireStats[]>('/v1/domstats')),
    getAlerts: () => get<AgentAlerts>('/v1/alerts'),
  };
  if (info.type !== null) {
    const type = info.type;
    entries.getType = () => type;
  }
  return entries;
}
