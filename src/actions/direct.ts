/**
 * Actions straight onto a driver connection: no safety, no audit. The building block the guarded
 * service wraps, and what an in-process CLI on test:/// uses.
 */
import type { DomainRef } from '../domain/domain-ref.ts';
import { invalidArg } from '../domain/errors.ts';
import type { ActionRequest, ActionResult, Actions } from './types.ts';

/** The part of a drivers/dispatch Connection that actions need. */
export interface DomainOps {
  lookupDomain(nameOrUuid: string): Promise<DomainRef>;
  create(dom: DomainRef): Promise<DomainRef>;
  shutdown(dom: DomainRef): Promise<void>;
  destroy(dom: DomainRef): Promise<void>;
  suspend(dom: DomainRef): Promise<void>;
  resume(dom: DomainRef): Promise<void>;
  reboot(dom: DomainRef): Promise<void>;
  reset(dom: DomainRef): Promise<void>;
  setMemory(dom: DomainRef, kib: number): Promise<void>;
}

/** Runs the driver operation for one request on an already resolved domain. */
export async function runDomainAction(ops: DomainOps, dom: DomainRef, request: ActionRequest): Promise<DomainRef> {
  switch (request.action) {
    case 'start': return ops.create(dom);
    case 'shutdown': await ops.shutdown(dom); return dom;
    case 'destroy': await ops.destroy(dom); return dom;
    case 'suspend': await ops.suspend(dom); return dom;
    case 'resume': await ops.resume(dom); return dom;
    case 'reboot': await ops.reboot(dom); return dom;
    case 'reset': await ops.reset(dom); return dom;
    case 'set-memory': {
      const kib = request.memoryKiB;
      if (kib === undefined || !Number.isSafeInteger(kib) || kib <= 0) throw invalidArg('set-memory needs a positive memoryKiB');
      await ops.setMemory(dom, kib);
      return dom;
    }
  }
}

/** Actions with no guard at all. */
export function createDirectActions(ops: DomainOps): Actions {
  return {
    async perform(request: ActionRequest): Promise<ActionResult> {
      const dom = await ops.lookupDomain(request.domain);
      const after = await runDomainAction(ops, dom, request);
      return { action: request.action, domain: after, outcome: 'done' };
    },
  };
}
