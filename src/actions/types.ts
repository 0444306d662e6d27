/**
 * The Actions contract (DESIGN.md): the one path that changes domains. The API, the CLI through the
 * agent, SNMP SET, alert rules and the Alertmanager receiver all call `perform`; safety (dry-run,
 * cooldown, global cap, protected domains), the audit log and `virtmon_remediation_actions_total`
 * live behind it, in one place.
 */
import type { DomainRef } from '../domain/domain-ref.ts';

/** What can be done to a domain. The first eight are what rules, SNMP and Alertmanager ask for. */
export type DomainAction =
  | 'start' | 'shutdown' | 'destroy' | 'suspend' | 'resume' | 'reboot' | 'reset' | 'set-memory'
  | OperatorAction;

/**
 * Operator/admin actions (control API, CLI through the agent): saved state, definitions, vCPUs,
 * devices, autostart. No cooldown, cap or idempotence shortcut applies to them (src/actions/README.md).
 * `define`, `create` (virDomainCreateXML: a transient domain) and `restore` make a domain that does
 * not exist yet, so the request's `domain` is only the audit label until the driver names it.
 */
export type OperatorAction =
  | 'save' | 'restore' | 'managed-save' | 'managed-save-remove' | 'set-vcpus'
  | 'attach-device' | 'detach-device' | 'set-autostart' | 'define' | 'create' | 'undefine';

/** VIR_DOMAIN_START_* for `start` and `create` (the driver's StartFlags shape). */
export interface ActionStartFlags {
  readonly paused?: boolean;
  readonly forceBoot?: boolean;
  readonly bypassCache?: boolean;
  readonly autodestroy?: boolean;
}

/** VIR_DOMAIN_AFFECT_*: which definition a change applies to; neither set = CURRENT. */
export interface ActionAffectFlags {
  readonly live?: boolean;
  readonly config?: boolean;
}

/** virDomainSetMemoryFlags flags for `set-memory`; none set = the live balloon, as before. */
export interface ActionMemoryFlags extends ActionAffectFlags {
  readonly maximum?: boolean;
}

/** VIR_DOMAIN_SAVE_RUNNING/PAUSED for `save`, `restore` and `managed-save`. */
export interface ActionSaveFlags {
  readonly running?: boolean;
  readonly paused?: boolean;
}

/** Who asked. Safety limits (cooldown, cap) apply to the automated sources: `rule` and `alertmanager`. */
export type ActionSource = 'api' | 'cli' | 'snmp' | 'rule' | 'alertmanager';

export interface ActionRequest {
  readonly action: DomainAction;
  /** Name or UUID. */
  readonly domain: string;
  readonly source: ActionSource;
  /** Token name, SNMP community/user, rule name … for the audit log. Never a secret. */
  readonly actor?: string;
  readonly reason?: string;
  /** For `set-memory`: the new balloon target in KiB. */
  readonly memoryKiB?: number;
  /** Per request dry-run (the service's global dry-run also applies). */
  readonly dryRun?: boolean;
  /** For `start` and `create`. */
  readonly startFlags?: ActionStartFlags;
  /** For `destroy`: VIR_DOMAIN_DESTROY_GRACEFUL. */
  readonly graceful?: boolean;
  /** For `set-memory`. */
  readonly memoryFlags?: ActionMemoryFlags;
  /** For `save` and `restore`: the image path on the agent's host. */
  readonly path?: string;
  /** For `save`, `restore` and `managed-save`. */
  readonly saveFlags?: ActionSaveFlags;
  /** For `set-vcpus`: the new vCPU count. */
  readonly vcpus?: number;
  /** For `set-vcpus`, `attach-device` and `detach-device`. */
  readonly affect?: ActionAffectFlags;
  /** For `define` and `create` (domain XML) and `attach-device`/`detach-device` (device XML). */
  readonly xml?: string;
  /** For `set-autostart`. */
  readonly autostart?: boolean;
  /** For `undefine`: VIR_DOMAIN_UNDEFINE_MANAGED_SAVE. */
  readonly managedSave?: boolean;
}

/** done: the driver call succeeded; noop: already in the wanted state; dry-run: would have acted. */
export type ActionOutcome = 'done' | 'noop' | 'dry-run';

export interface ActionResult {
  readonly action: DomainAction;
  readonly domain: DomainRef;
  readonly outcome: ActionOutcome;
}

/**
 * `perform` resolves for done/noop/dry-run and rejects with a VirtmonError otherwise: the driver's
 * own (libvirt wording) or VIRTMON_ERR_ACTION_REFUSED when a safety rule said no.
 */
export interface Actions {
  perform(request: ActionRequest): Promise<ActionResult>;
}
