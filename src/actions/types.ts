/**
 * The Actions contract (DESIGN.md): the one path that changes domains. The API, the CLI through the
 * agent, SNMP SET, alert rules and the Alertmanager receiver all call `perform`; safety (dry-run,
 * cooldown, global cap, protected domains), the audit log and `virtmon_remediation_actions_total`
 * live behind it, in one place.
 */
import type { DomainRef } from '../domain/domain-ref.ts';

/** What can be done to a domain. */
export type DomainAction =
  | 'start' | 'shutdown' | 'destroy' | 'suspend' | 'resume' | 'reboot' | 'reset' | 'set-memory';

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
