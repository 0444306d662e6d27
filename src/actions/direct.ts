/**
 * Actions straight onto a driver connection: no safety, no audit. The building block the guarded
 * service wraps, and what an in-process CLI on test:/// uses.
 */
import type { DomainRef } from '../domain/domain-ref.ts';
import { invalidArg } from '../domain/errors.ts';
import { makesNewDomain, runNewDomainAction, runOperatorAction, type OperatorOps } from './operator-ops.ts';
import type { ActionMemoryFlags, ActionRequest, ActionResult, ActionStartFlags, Actions } from './types.ts';

/**
 * The part of a drivers/dispatch Connection that actions need. The flag parameters and the
 * operator operations ({@link OperatorOps}) are optional, so smaller implementations still fit.
 */
export interface DomainOps extends OperatorOps {
  lookupDomain(nameOrUuid: string): Promise<DomainRef>;
  create(dom: DomainRef, flags?: ActionStartFlags): Promise<DomainRef>;
  shutdown(dom: DomainRef): Promise<void>;
  destroy(dom: DomainRef, flags?: { readonly graceful?: boolean }): Promise<void>;
  suspend(dom: DomainRef): Promise<void>;
  resume(dom: DomainRef): Promise<void>;
  reboot(dom: DomainRef): Promise<void>;
  reset(dom: DomainRef): Promise<void>;
  setMemory(dom: DomainRef, kib: number, flags?: ActionMemoryFlags): Promise<void>;
}

/** Runs the driver operation for one request on an already resolved domain. */
export async function runDomainAction(ops: DomainOps, dom: DomainRef, request: ActionRequest): Promise<DomainRef> {
  // Flags are passed only when the request carries them, so plain requests call the driver as before.
  switch (request.action) {
    case 'start': return request.startFlags === undefined ? ops.create(dom) : ops.create(dom, request.startFlags);
    case 'shutdown': await ops.shutdown(dom); return dom;
    case 'destroy': await (request.graceful === true ? ops.destroy(dom, { graceful: true }) : ops.destroy(dom)); return dom;
    case 'suspend': await ops.suspend(dom); return dom;
    case 'resume': await ops.resume(dom); return dom;
    case 'reboot': await ops.reboot(dom); return dom;
    case 'reset': await ops.reset(dom); return dom;
    case 'set-memory': {
      const kib = request.memoryKiB;
      if (kib === undefined || !Number.isSafeInteger(kib) || kib <= 0) throw invalidArg('set-memory needs a positive memoryKiB');
      await (request.memoryFlags === undefined ? ops.setMemory(dom, kib) : ops.setMemory(dom, kib, request.memoryFlags));
      return dom;
    }
    case 'save': case 'restore': case 'managed-save': case 'managed-save-remove': case 'set-vcpus':
    case 'attach-device': case 'detach-device': case 'set-autostart': case 'define': case 'create': case 'undefine':
      return runOperatorAction(ops, dom, { ...request, action: request.action });
  }
}

/** Actions with no guard at all. */
export function createDirectActions(ops: DomainOps): Actions {
  return {
    async perform(request: ActionRequest): Promise<ActionResult> {
      const action = request.action;
      if (makesNewDomain(action)) {
        return { action, domain: await runNewDomainAction(ops, { ...request, action }), outcome: 'done' };
      }
      const dom = await ops.lookupDomain(request.domain);
      const after = await runDomainAction(ops, dom, request);
      return { action, domain: after, outcome: 'done' };
    },
  };
}
