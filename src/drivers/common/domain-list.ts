/**
 * The domain object list with libvirt's rules (src/conf/virdomainobjlist.c, virDomainObjAssignDef,
 * virDomainObjSetDefTransient, virDomainObjRemoveTransientDef), shared by the test and qemu drivers.
 *
 * A domain object holds `def` (the running definition while active, the persistent one otherwise)
 * and, while a persistent domain runs, `newDef`: the configuration for its next boot. Definitions
 * are immutable values, so "copying" one is sharing the reference. Ids come from one counter per
 * list, taken at each start and never reused while the list lives.
 */
import type { DomainDef } from '../../domain/def.ts';
import type { DomainRef } from '../../domain/domain-ref.ts';
import { VirtmonError, noDomainWithId, noDomainWithName } from '../../domain/errors.ts';
import { DomainState, isActiveState } from '../../domain/states.ts';
import type { DomainStateCode } from '../../domain/states.ts';
import type { UndefineFlags } from '../driver.ts';
import { checkUndefine } from './lifecycle-rules.ts';

/** One domain and its runtime state; `P` is the driver's private data (QEMU pid, synthetic counters …). */
export class DomainObj<P> {
  /** The running definition while active; the persistent one while inactive. */
  def: DomainDef;
  /** While a persistent domain is active: the definition its next boot uses (libvirt's newDef). */
  newDef: DomainDef | undefined;
  /** Runtime id while active, -1 otherwise. */
  id = -1;
  state: DomainStateCode = DomainState.SHUTOFF;
  reason = 0;
  persistent = false;
  autostart = false;
  hasManagedSave = false;
  /** The driver's private data. */
  readonly priv: P;

  constructor(def: DomainDef, priv: P) {
    this.def = def;
    this.priv = priv;
  }

  get name(): string { return this.def.name; }
  get uuid(): string { return this.def.uuid; }

  /** The virDomainPtr-like handle callers pass back. */
  get ref(): DomainRef {
    return { name: this.def.name, uuid: this.def.uuid, id: this.id };
  }

  /** Active = a (real or simulated) hypervisor process exists. */
  isActive(): boolean {
    return isActiveState(this.state);
  }

  /** The persistent configuration (newDef while running, def while not); undefined for transient domains. */
  persistentDef(): DomainDef | undefined {
    if (!this.persistent) return undefined;
    return this.newDef ?? this.def;
  }

  setState(state: DomainStateCode, reason: number): void {
    this.state = state;
    this.reason = reason;
  }
}

/** Options of {@link DomainList.add} (VIR_DOMAIN_OBJ_LIST_ADD_*). */
export interface AddOptions {
  /** The definition is a live one (create, restore): an inactive persistent domain keeps its config in newDef. */
  readonly live?: boolean;
  /** Refuse when the matching domain is already active (create, restore). */
  readonly checkLive?: boolean;
}

/** What {@link DomainList.add} did. */
export interface AddResult<P> {
  readonly obj: DomainObj<P>;
  /** True when a new object was created (no domain had that UUID). */
  readonly created: boolean;
  /** The persistent definition the new one replaced (undefined when nothing was replaced). */
  readonly oldDef: DomainDef | undefined;
}

/** A driver's set of domains, keyed by UUID, in definition order. */
export class DomainList<P> {
  readonly #byUuid = new Map<string, DomainObj<P>>();
  readonly #newPriv: (def: DomainDef) => P;
  #nextId: number;

  /** `newPriv` makes the private data of each new object; ids start at `firstId` (libvirt: 1). */
  constructor(newPriv: (def: DomainDef) => P, firstId = 1) {
    this.#newPriv = newPriv;
    this.#nextId = firstId;
  }

  findByUuid(uuid: string): DomainObj<P> | undefined {
    return this.#byUuid.get(uuid.toLowerCase());
  }

  findByName(name: string): DomainObj<P> | undefined {
    for (const obj of this.#byUuid.values()) if (obj.def.name === name) return obj;
    return undefined;
  }

  /** Only active domains have an id. */
  findById(id: number): DomainObj<P> | undefined {
    if (id < 0) return undefined;
    for (const obj of this.#byUuid.values()) if (obj.id === id && obj.isActive()) return obj;
    return undefined;
  }

  /** Like findByName; throws NO_DOMAIN `no domain with matching name 'X'`. */
  getByName(name: string): DomainObj<P> {
    const obj = this.findByName(name);
    if (obj === undefined) throw noDomainWithName(name);
    return obj;
  }

  /** Like findByUuid; throws NO_DOMAIN `no domain with matching uuid 'U'`. */
  getByUuid(uuid: string): DomainObj<P> {
    const obj = this.findByUuid(uuid);
    if (obj === undefined) throw new VirtmonError('VIR_ERR_NO_DOMAIN', `no domain with matching uuid '${uuid}'`);
    return obj;
  }

  /** Like findById; throws NO_DOMAIN `no domain with matching id N`. */
  getById(id: number): DomainObj<P> {
    const obj = this.findById(id);
    if (obj === undefined) throw noDomainWithId(id);
    return obj;
  }

  /**
   * Resolves a handle the way qemuDomainObjFromDomain does: by UUID only. Throws NO_DOMAIN
   * `no domain with matching uuid 'U' (NAME)` when the domain is gone.
   */
  resolve(ref: DomainRef): DomainObj<P> {
    const obj = this.findByUuid(ref.uuid);
    if (obj === undefined) {
      throw new VirtmonError('VIR_ERR_NO_DOMAIN', `no domain with matching uuid '${ref.uuid}' (${ref.name})`);
    }
    return obj;
  }

  /** Every domain, in the order they were added. */
  all(): DomainObj<P>[] {
    return [...this.#byUuid.values()];
  }

  get size(): number {
    return this.#byUuid.size;
  }

  /**
   * virDomainObjListAdd: a new UUID makes a new (inactive, transient) object; the same UUID and name
   * replace the definition (virDomainObjAssignDef). Nothing changes when an error is thrown:
   * same UUID, other name → OPERATION_FAILED `domain 'OLD' is already defined with uuid U`;
   * same name, other UUID → OPERATION_FAILED `domain 'X' already exists with uuid U`;
   * with checkLive, an active match → OPERATION_INVALID `domain 'X' is already active`.
   */
  add(def: DomainDef, options: AddOptions = {}): AddResult<P> {
    const existing = this.findByUuid(def.uuid);
    if (existing !== undefined) {
      if (existing.def.name !== def.name) {
        throw new VirtmonError('VIR_ERR_OPERATION_FAILED',
          `domain '${existing.def.name}' is already defined with uuid ${existing.def.uuid}`);
      }
      if (options.checkLive === true) {
        if (existing.isActive()) {
          throw new VirtmonError('VIR_ERR_OPERATION_INVALID', `domain '${existing.def.name}' is already active`);
        }
        if (!existing.persistent) {
          throw new VirtmonError('VIR_ERR_OPERATION_INVALID', `domain '${existing.def.name}' is already being started`);
        }
      }
      return { obj: existing, created: false, oldDef: assignDef(existing, def, options.live === true) };
    }
    const sameName = this.findByName(def.name);
    if (sameName !== undefined) {
      throw new VirtmonError('VIR_ERR_OPERATION_FAILED',
        `domain '${def.name}' already exists with uuid ${sameName.def.uuid}`);
    }
    const obj = new DomainObj(def, this.#newPriv(def));
    this.#byUuid.set(def.uuid, obj);
    return { obj, created: true, oldDef: undefined };
  }

  /**
   * virDomainDefineXML's list part: add (or update) and mark persistent. `updated` is true when a
   * persistent definition was replaced (DEFINED/UPDATED), false for DEFINED/ADDED, including a running
   * transient domain that becomes persistent.
   */
  define(def: DomainDef): { readonly obj: DomainObj<P>; readonly updated: boolean } {
    const { obj, oldDef } = this.add(def);
    const updated = oldDef !== undefined;
    obj.persistent = true;
    return { obj, updated };
  }

  /** Takes the next id (per list, never reused). */
  allocateId(): number {
    return this.#nextId++;
  }

  /**
   * The bookkeeping of a start (testDomainStartState / qemuProcessStart): a fresh id, the persistent
   * config kept aside in newDef, the managed-save image consumed.
   */
  markStarted(obj: DomainObj<P>, state: DomainStateCode, reason: number): void {
    obj.id = this.allocateId();
    if (obj.persistent && obj.newDef === undefined) obj.newDef = obj.def;
    obj.hasManagedSave = false;
    obj.setState(state, reason);
  }

  /**
   * The bookkeeping of a stop: SHUTOFF with `reason`, id -1, the live definition dropped for the
   * persistent one. A transient domain leaves the list; returns true when it did.
   */
  markStopped(obj: DomainObj<P>, reason: number): boolean {
    obj.setState(DomainState.SHUTOFF, reason);
    obj.id = -1;
    if (obj.newDef !== undefined) {
      obj.def = obj.newDef;
      obj.newDef = undefined;
    }
    if (!obj.persistent) {
      this.remove(obj);
      return true;
    }
    return false;
  }

  /**
   * virDomainUndefineFlags' list part, after {@link checkUndefine}: a running domain becomes
   * transient (it leaves the list when it stops), an inactive one leaves now. Autostart and the
   * managed-save image go with the config.
   */
  undefine(obj: DomainObj<P>, flags: UndefineFlags): void {
    checkUndefine(obj, flags);
    obj.hasManagedSave = false;
    obj.autostart = false;
    if (obj.isActive()) {
      obj.persistent = false;
      obj.newDef = undefined;
    } else {
      this.remove(obj);
    }
  }

  remove(obj: DomainObj<P>): void {
    if (this.#byUuid.get(obj.def.uuid) === obj) this.#byUuid.delete(obj.def.uuid);
  }
}

/**
 * virDomainObjAssignDef: an active domain gets the definition for its next boot; an inactive one
 * either keeps its config aside (live: create/restore over a defined domain) or has it replaced.
 * Returns the persistent definition that was replaced, if any.
 */
function assignDef<P>(obj: DomainObj<P>, def: DomainDef, live: boolean): DomainDef | undefined {
  if (obj.isActive()) {
    const old = obj.newDef;
    obj.newDef = def;
    return old;
  }
  if (live) {
    if (obj.newDef === undefined) obj.newDef = obj.def;
    obj.def = def;
    return undefined;
  }
  const old = obj.persistent ? obj.def : undefined;
  obj.def = def;
  return old;
}
