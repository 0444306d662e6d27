/**
 * virsh's domain lookup (tools/virsh-util.c virshLookupDomainInternal): by id when the argument is a
 * non-negative integer, by UUID when it is 36 characters long, then by name, as each command allows.
 * Any failure of the lookups ends in one line, `failed to get domain 'X'`: virsh resets the driver's
 * error first, so virsh 9.0 prints no second line.
 */
import type { DomainRef } from '../domain/domain-ref.ts';
import type { Session } from './session.ts';

/** Which lookups a command allows (VIRSH_BYID, VIRSH_BYUUID, VIRSH_BYNAME). */
export interface LookupBy {
  readonly id?: boolean;
  readonly uuid?: boolean;
  readonly name?: boolean;
}

/** Every kind of lookup (virshCommandOptDomain). */
export const BY_ANY: LookupBy = { id: true, uuid: true, name: true };

const INT_MAX = 2147483647;

/** Resolves a domain argument; prints the error and returns undefined when nothing matches. */
export async function lookupDomain(session: Session, arg: string, by: LookupBy = BY_ANY): Promise<DomainRef | undefined> {
  const conn = session.conn;
  const attempts: (() => Promise<DomainRef>)[] = [];
  if (by.id === true && /^\s*\+?\d+$/.test(arg)) {
    const id = Number(arg.trim());
    if (id <= INT_MAX) attempts.push(() => conn.lookupByID(id));
  }
  if (by.uuid === true && arg.length === 36) attempts.push(() => conn.lookupByUUID(arg));
  if (by.name === true) attempts.push(() => conn.lookupByName(arg));
  for (const attempt of attempts) {
    try {
      return await attempt();
    } catch (err) {
      // virsh ignores why a lookup failed and tries the next kind; keep the cause for debugging.
      if (session.deps.debug) session.out.diagnostic(`lookup of '${arg}' failed: ${String(err)}`);
    }
  }
  session.out.error(`failed to get domain '${arg}'`);
  return undefined;
}
