/**
 * Which safety rule applies to whom, and what "already done" means, as plain functions the guarded
 * service asks. Decisions (documented in src/actions/README.md):
 * - cooldown and the global cap limit the automated sources, `rule` and `alertmanager`;
 * - protected domains are never touched by `rule`, `alertmanager` and `snmp` (an SNMP SET is a remote
 *   machine acting with a community or USM user, not an operator at a prompt); `api` and `cli` are
 *   authenticated operators acting on purpose and may act on them (audited as usual);
 * - suspend of a paused and resume of a running domain are no-ops for every source; shutdown/destroy
 *   of an inactive and start of an active domain are no-ops for automated sources, while operators
 *   get libvirt's error, as virsh users expect;
 * - the operator/admin actions (save, restore, define …, see types.ts `OperatorAction`) are for people:
 *   automated sources are refused them, and no cooldown, cap or idempotence shortcut applies.
 */
import { DomainState, isActiveState, type DomainStateCode } from '../domain/states.ts';
import type { ActionSource, DomainAction } from './types.ts';

/** Sources that act on their own. */
export function isAutomated(source: ActionSource): boolean {
  return source === 'rule' || source === 'alertmanager';
}

/** Whether `source` may ask for `action`: operator/admin actions are not for automated sources. */
export function mayRequest(source: ActionSource, operatorAction: boolean): boolean {
  return !(operatorAction && isAutomated(source));
}

/** Sources a protected domain is shielded from. */
export function honoursProtection(source: ActionSource): boolean {
  return source === 'rule' || source === 'alertmanager' || source === 'snmp';
}

/** True when the domain is already where the action would take it. */
export function alreadyDone(action: DomainAction, state: DomainStateCode, source: ActionSource): boolean {
  switch (action) {
    // Operators (api, cli) and SNMP get the driver's own answer, as virsh users expect.
    case 'suspend': return isAutomated(source) && state === DomainState.PAUSED;
    case 'resume': return isAutomated(source) && state === DomainState.RUNNING;
    case 'shutdown':
    case 'destroy': return isAutomated(source) && !isActiveState(state);
    case 'start': return isAutomated(source) && isActiveState(state);
    case 'reboot':
    case 'reset':
    case 'set-memory': return false;
    // Operator/admin actions: the driver always decides (no idempotence shortcut).
    case 'save': case 'restore': case 'managed-save': case 'managed-save-remove': case 'set-vcpus':
    case 'attach-device': case 'detach-device': case 'set-autostart': case 'define': case 'create': case 'undefine':
      return false;
  }
}

/** A protected-domain matcher: exact names or UUIDs, or `/regex/` entries (collectd's `Domain` spelling). */
export function protectedMatcher(entries: readonly string[]): (name: string, uuid: string) => boolean {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const e of entries) {
    if (e.length > 2 && e.startsWith('/') && e.endsWith('/')) patterns.push(new RegExp(e.slice(1, -1)));
    else exact.add(e.toLowerCase());
  }
  return (name, uuid) => exact.has(name.toLowerCase()) || exact.has(uuid) || patterns.some((p) => p.test(name));
}
