/**
 * The driver calls behind the operator/admin actions (saved state, definitions, vCPUs, devices,
 * autostart). Each operation is optional in {@link OperatorOps}: a caller that wraps something smaller
 * than a full connection (a test fake, an in-process CLI) gets libvirt's "not supported" error for the
 * ones it lacks, naming the libvirt API as the driver table would.
 */
import type { DomainRef } from '../domain/domain-ref.ts';
import { invalidArg, unsupported } from '../domain/errors.ts';
import type { ActionAffectFlags, ActionRequest, ActionSaveFlags, ActionStartFlags, DomainAction, OperatorAction } from './types.ts';

/** The part of a drivers/dispatch Connection the operator actions need; all optional. */
export interface OperatorOps {
  save?(dom: DomainRef, path: string, flags: ActionSaveFlags): Promise<void>;
  restore?(path: string, flags: ActionSaveFlags): Promise<DomainRef>;
  managedSave?(dom: DomainRef, flags: ActionSaveFlags): Promise<void>;
  managedSaveRemove?(dom: DomainRef): Promise<void>;
  setVcpus?(dom: DomainRef, count: number, flags: ActionAffectFlags): Promise<void>;
  attachDevice?(dom: DomainRef, xml: string, flags: ActionAffectFlags): Promise<void>;
  detachDevice?(dom: DomainRef, xml: string, flags: ActionAffectFlags): Promise<void>;
  setAutostart?(dom: DomainRef, autostart: boolean): Promise<void>;
  defineXML?(xml: string): Promise<DomainRef>;
  createXML?(xml: string, flags: ActionStartFlags): Promise<DomainRef>;
  undefine?(dom: DomainRef, flags: { readonly managedSave?: boolean }): Promise<void>;
}

const OPERATOR_ACTIONS: ReadonlySet<DomainAction> = new Set<OperatorAction>([
  'save', 'restore', 'managed-save', 'managed-save-remove', 'set-vcpus',
  'attach-device', 'detach-device', 'set-autostart', 'define', 'create', 'undefine',
]);

/** True for the operator/admin actions (no cooldown, cap or idempotence shortcut). */
export function isOperatorAction(action: DomainAction): action is OperatorAction {
  return OPERATOR_ACTIONS.has(action);
}

/** The actions that make a domain not yet known to the driver: nothing to look up beforehand. */
export type NewDomainAction = 'define' | 'create' | 'restore';

/** True for `define`, `create` and `restore`. */
export function makesNewDomain(action: DomainAction): action is NewDomainAction {
  return action === 'define' || action === 'create' || action === 'restore';
}

function text(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidArg(`${what} must be a non-empty string`);
  return value;
}

/** Runs `define`, `create` or `restore`; resolves with the domain the driver made. */
export function runNewDomainAction(ops: OperatorOps, request: ActionRequest & { readonly action: NewDomainAction }): Promise<DomainRef> {
  switch (request.action) {
    case 'define':
      if (ops.defineXML === undefined) throw unsupported('virDomainDefineXML');
      return ops.defineXML(text(request.xml, 'define: xml'));
    case 'create':
      if (ops.createXML === undefined) throw unsupported('virDomainCreateXML');
      return ops.createXML(text(request.xml, 'create: xml'), request.startFlags ?? {});
    case 'restore':
      if (ops.restore === undefined) throw unsupported('virDomainRestoreFlags');
      return ops.restore(text(request.path, 'restore: path'), request.saveFlags ?? {});
  }
}

/** Runs an operator action on an already resolved domain; resolves with the domain as it is after. */
export async function runOperatorAction(ops: OperatorOps, dom: DomainRef, request: ActionRequest & { readonly action: OperatorAction }): Promise<DomainRef> {
  const affect = request.affect ?? {};
  switch (request.action) {
    case 'define':
    case 'create':
    case 'restore': return runNewDomainAction(ops, { ...request, action: request.action });
    case 'save':
      if (ops.save === undefined) throw unsupported('virDomainSaveFlags');
      await ops.save(dom, text(request.path, 'save: path'), request.saveFlags ?? {});
      return dom;
    case 'managed-save':
      if (ops.managedSave === undefined) throw unsupported('virDomainManagedSave');
      await ops.managedSave(dom, request.saveFlags ?? {});
      return dom;
    case 'managed-save-remove':
      if (ops.managedSaveRemove === undefined) throw unsupported('virDomainManagedSaveRemove');
      await ops.managedSaveRemove(dom);
      return dom;
    case 'set-vcpus': {
      const n = request.vcpus;
      if (n === undefined || !Number.isSafeInteger(n) || n <= 0) throw invalidArg('set-vcpus needs a positive vcpus count');
      if (ops.setVcpus === undefined) throw unsupported('virDomainSetVcpusFlags');
      await ops.setVcpus(dom, n, affect);
      return dom;
    }
    case 'attach-device':
      if (ops.attachDevice === undefined) throw unsupported('virDomainAttachDeviceFlags');
      await ops.attachDevice(dom, text(request.xml, 'attach-device: xml'), affect);
      return dom;
    case 'detach-device':
      if (ops.detachDevice === undefined) throw unsupported('virDomainDetachDeviceFlags');
      await ops.detachDevice(dom, text(request.xml, 'detach-device: xml'), affect);
      return dom;
    case 'set-autostart':
      if (typeof request.autostart !== 'boolean') throw invalidArg('set-autostart needs autostart true or false');
      if (ops.setAutostart === undefined) throw unsupported('virDomainSetAutostart');
      await ops.setAutostart(dom, request.autostart);
      return dom;
    case 'undefine':
      if (ops.undefine === undefined) throw unsupported('virDomainUndefineFlags');
      await ops.undefine(dom, request.managedSave === true ? { managedSave: true } : {});
      return dom;
  }
}
