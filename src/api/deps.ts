/** What the control API's routes are given: the agent's connection, its Actions and its stats. */
import type { Actions } from '../actions/types.ts';
import type { DomainRef } from '../domain/domain-ref.ts';
import { normalizeUuid } from '../domain/domain-ref.ts';
import type { DomainSample } from '../domain/sample.ts';
import type { Connection } from '../drivers/dispatch.ts';
import type { ImageRootsCheck } from '../security/image-roots.ts';

/** Dependencies of every route plugin. */
export interface ApiDeps {
  /** The agent's one driver connection (reads, config changes). */
  readonly conn: Connection;
  /** Every lifecycle change goes through here (safety, audit, metrics live behind it). */
  readonly actions: Actions;
  /** Latest sample of every domain (the collection's `latest()`); never waits on a hypervisor. */
  readonly latest: () => DomainSample[];
  /** Files of domains defined over TCP must lie under remote.imageRoots (absent on the unix sockets). */
  readonly checkDefinition?: ImageRootsCheck;
}

/**
 * Resolves the `:dom` path parameter: a UUID by UUID (what the remote driver sends), anything else
 * as virsh does (id, then UUID, then name), so errors read exactly like libvirt's.
 */
export function resolveDomain(conn: Connection, dom: string): Promise<DomainRef> {
  const uuid = normalizeUuid(dom);
  if (uuid !== undefined && dom.includes('-')) return conn.lookupByUUID(uuid);
  return conn.lookupDomain(dom);
}

/** A sample as JSON: fields as an object in order, 64-bit counters as decimal strings. */
export function sampleToJson(s: DomainSample): Record<string, unknown> {
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of s.fields) fields[k] = typeof v === 'bigint' ? v.toString() : v;
  return { name: s.name, uuid: s.uuid, id: s.id, active: s.active, state: s.state, time: s.time, flags: s.flags, fields };
}
