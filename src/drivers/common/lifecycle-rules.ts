/**
 * Which operation is valid in which state: the qemu driver's rules (src/qemu/qemu_driver.c,
 * libvirt-semantics.md §3), used by both of virtmon's drivers. Each check is pure: it returns what to
 * do ('proceed', 'noop', …) or throws the exact VirtmonError libvirt raises, and changes nothing.
 */
import type { DomainDef } from '../../domain/def.ts';
import { domainNotRunning, invalidArg, operationInvalid } from '../../domain/errors.ts';
import { CrashedReason, DomainState, isActiveState } from '../../domain/states.ts';
import type { DomainStateCode } from '../../domain/states.ts';
import type { AffectFlags, MemoryFlags, StartFlags, UndefineFlags } from '../driver.ts';

/** What the rules look at (a DomainObj satisfies it). */
export interface RuleSubject {
  readonly state: DomainStateCode;
  readonly reason: number;
  readonly persistent: boolean;
  readonly hasManagedSave: boolean;
  /** Running definition while active, the persistent one otherwise. */
  readonly def: DomainDef;
  /** While a persistent domain runs: its next-boot configuration. */
  readonly newDef?: DomainDef | undefined;
}

/** Go ahead, or succeed without doing anything. */
export type Verdict = 'proceed' | 'noop';

/** virDomainObjCheckActive: `domain is not running` unless active. */
export function requireActive(s: RuleSubject): void {
  if (!isActiveState(s.state)) throw domainNotRunning();
}

/**
 * virDomainCreateWithFlags: only an inactive domain starts (`domain is already running`); with a
 * managed-save image it is restored instead, unless FORCE_BOOT (which discards the image).
 */
export function checkStart(s: RuleSubject, flags: StartFlags = {}): 'boot' | 'restore' {
  if (isActiveState(s.state)) throw operationInvalid('domain is already running');
  return s.hasManagedSave && flags.forceBoot !== true ? 'restore' : 'boot';
}

/** virDomainSuspend: PAUSED is a successful no-op; PMSUSPENDED and inactive domains refuse. */
export function checkSuspend(s: RuleSubject): Verdict {
  requireActive(s);
  if (s.state === DomainState.PMSUSPENDED) throw operationInvalid('domain is pmsuspended');
  return s.state === DomainState.PAUSED ? 'noop' : 'proceed';
}

/**
 * virDomainResume: PAUSED and CRASHED/panicked resume; RUNNING refuses (`domain is already running`);
 * other active states (in shutdown, crashed for another reason) succeed without doing anything.
 */
export function checkResume(s: RuleSubject): Verdict {
  requireActive(s);
  if (s.state === DomainState.PMSUSPENDED) throw operationInvalid('domain is pmsuspended');
  if (s.state === DomainState.RUNNING) throw operationInvalid('domain is already running');
  if (s.state === DomainState.PAUSED) return 'proceed';
  if (s.state === DomainState.CRASHED && s.reason === CrashedReason.PANICKED) return 'proceed';
  return 'noop';
}

/** virDomainShutdown: exactly RUNNING; anything else, PAUSED included, is `domain is not running`. */
export function checkShutdown(s: RuleSubject): void {
  if (s.state !== DomainState.RUNNING) throw domainNotRunning();
}

/** virDomainReboot: any active state. */
export const checkReboot = requireActive;
/** virDomainReset: any active state. */
export const checkReset = requireActive;
/** virDomainDestroy: any active state. */
export const checkDestroy = requireActive;
/** virDomainSave: any active state. */
export const checkSave = requireActive;

/** virDomainManagedSave: active and persistent (`cannot do managed save for transient domain`). */
export function checkManagedSave(s: RuleSubject): void {
  requireActive(s);
  if (!s.persistent) throw operationInvalid('cannot do managed save for transient domain');
}

/** virDomainSaveFlags / RestoreFlags: RUNNING and PAUSED exclude each other. */
export function checkSaveFlags(flags: { readonly running?: boolean; readonly paused?: boolean }): void {
  if (flags.running === true && flags.paused === true) {
    throw invalidArg("Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive");
  }
}

/**
 * virDomainUndefineFlags: persistent only (`cannot undefine transient domain`); a managed-save image
 * needs the MANAGED_SAVE flag (`Refusing to undefine while domain managed save image exists`).
 */
export function checkUndefine(s: RuleSubject, flags: UndefineFlags = {}): void {
  if (!s.persistent) throw operationInvalid('cannot undefine transient domain');
  if (s.hasManagedSave && flags.managedSave !== true) {
    throw operationInvalid('Refusing to undefine while domain managed save image exists');
  }
}

/** virDomainSetAutostart: persistent only. */
export function checkSetAutostart(s: RuleSubject): void {
  if (!s.persistent) throw operationInvalid('cannot set autostart for transient domain');
}

/** Which definitions a `*Flags` call changes, after the checks. */
export interface AffectTargets {
  /** The running definition. */
  readonly live: boolean;
  /** The persistent configuration. */
  readonly config: boolean;
}

/**
 * virDomainObjGetDefs / virDomainLiveConfigHelperMethod: CURRENT (neither flag) means LIVE when
 * active, else CONFIG; LIVE needs an active domain (`domain is not running`), CONFIG a persistent one
 * (`transient domains do not have any persistent config`).
 */
export function resolveAffect(s: RuleSubject, flags: AffectFlags = {}): AffectTargets {
  const active = isActiveState(s.state);
  let live = flags.live === true;
  let config = flags.config === true;
  if (!live && !config) {
    if (active) live = true;
    else config = true;
  }
  if (live && !active) throw domainNotRunning();
  if (config && !s.persistent) throw operationInvalid('transient domains do not have any persistent config');
  return { live, config };
}

/**
 * virDomainSetMemoryFlags (qemuDomainSetMemoryFlags). Current memory: not zero, not above the maximum
 * of any definition it changes (INVALID_ARG `cannot set memory higher than max memory`), and a live
 * change needs a balloon. With `maximum`: only the config, not above `<maxMemory>`.
 */
export function checkSetMemory(s: RuleSubject, kib: number, flags: MemoryFlags = {}): AffectTargets {
  if (!Number.isSafeInteger(kib) || kib < 0) throw invalidArg(`memory ${kib} is not a size in KiB`);
  if (kib === 0) throw invalidArg('memory in virDomainSetMemoryFlags must not be zero');
  const targets = resolveAffect(s, flags);
  const persistent = s.persistent ? (s.newDef ?? s.def) : undefined;
  if (flags.maximum === true) {
    if (targets.live) throw operationInvalid('cannot resize the maximum memory on an active domain');
    if (persistent?.maxMemory !== undefined && persistent.maxMemory.kib < kib) {
      throw operationInvalid('cannot set initial memory size greater than the maximum memory size');
    }
    return targets;
  }
  let max = 0;
  if (targets.live) max = s.def.memoryKiB;
  if (targets.config && persistent !== undefined && (max === 0 || max > persistent.memoryKiB)) max = persistent.memoryKiB;
  if (kib > max) throw invalidArg('cannot set memory higher than max memory');
  if (targets.live && !hasBalloon(s.def)) {
    throw operationInvalid('Unable to change memory of active domain without the balloon device and guest OS balloon driver');
  }
  return targets;
}

/**
 * virDomainSetVcpusFlags (qemuDomainSetVcpusInternal): not zero, and not above the maximum of each
 * definition it changes.
 */
export function checkSetVcpus(s: RuleSubject, count: number, flags: AffectFlags = {}): AffectTargets {
  if (!Number.isSafeInteger(count) || count < 0) throw invalidArg(`vcpu count ${count} is not a number of vCPUs`);
  if (count === 0) throw invalidArg('nvcpus in virDomainSetVcpusFlags must not be zero');
  const targets = resolveAffect(s, flags);
  if (targets.live && count > s.def.vcpu.max) {
    throw invalidArg(`requested vcpus is greater than max allowable vcpus for the live domain: ${count} > ${s.def.vcpu.max}`);
  }
  const persistent = s.newDef ?? s.def;
  if (targets.config && count > persistent.vcpu.max) {
    throw invalidArg(
      `requested vcpus is greater than max allowable vcpus for the persistent domain: ${count} > ${persistent.vcpu.max}`);
  }
  return targets;
}

/** True when the definition has a usable balloon (`<memballoon model='none'/>` is none). */
export function hasBalloon(def: DomainDef): boolean {
  return def.devices.memballoon !== undefined && def.devices.memballoon.model !== 'none';
}
