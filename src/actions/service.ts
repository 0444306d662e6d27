/**
 * The guarded Actions service (DESIGN.md: "Only `Actions` changes domains, with dry-run, rate limits,
 * protected-domain lists and an append-only audit log"). Every request goes: lookup → protection →
 * idempotence (getState) → limits (automated sources) → dry-run → the driver. Each outcome is audited
 * and counted in `virtmon_remediation_actions_total`, whoever asked. Operator/admin actions (save,
 * define, devices …) skip idempotence and limits; `define`/`create`/`restore` have no domain to look
 * up or protect beforehand.
 */
import type { DomainRef } from '../domain/domain-ref.ts';
import { VirtmonError, toVirtmonError } from '../domain/errors.ts';
import type { Logger } from '../domain/logger.ts';
import type { StateWithReason } from '../domain/states.ts';
import type { AuditEntry, AuditOutcome, AuditSink } from './audit-log.ts';
import type { CountAction, CounterResult } from './counter.ts';
import { auditDetail } from './detail.ts';
import { runDomainAction, type DomainOps } from './direct.ts';
import { SafetyLimits } from './limits.ts';
import { isOperatorAction, makesNewDomain, runNewDomainAction, type NewDomainAction } from './operator-ops.ts';
import { alreadyDone, honoursProtection, isAutomated, mayRequest, protectedMatcher } from './policy.ts';
import type { ActionRequest, ActionResult, Actions } from './types.ts';

/** DomainOps plus the state query idempotence needs (a drivers/dispatch Connection fits). */
export interface GuardedOps extends DomainOps {
  getState(dom: DomainRef): Promise<StateWithReason>;
}

/** Safety settings (config block `alerts`). */
export interface ActionSafety {
  /** Global dry-run: nothing is changed, everything is audited as `dry-run`. */
  readonly dryRun: boolean;
  /** Cooldown per domain and action for automated sources, ms. */
  readonly cooldownMs: number;
  /** Global cap on automated actions per minute; 0 = no cap. */
  readonly capPerMinute: number;
  /** Names, UUIDs or `/regex/` of domains automated sources never touch. */
  readonly protected: readonly string[];
}

/** Inputs of {@link createGuardedActions}. */
export interface GuardedActionsOptions {
  readonly ops: GuardedOps;
  readonly safety: ActionSafety;
  readonly audit: AuditSink;
  readonly count: CountAction;
  readonly logger: Logger;
  readonly clock?: () => number;
}

const RESULT_OF: Record<AuditOutcome, CounterResult> = {
  'done': 'success', 'noop': 'success', 'dry-run': 'dry_run', 'refused': 'refused', 'rate_limited': 'rate_limited', 'failed': 'failed',
};

/** Builds the guarded service over driver operations. */
export function createGuardedActions(options: GuardedActionsOptions): Actions {
  const { ops, safety, audit, count, logger } = options;
  const clock = options.clock ?? Date.now;
  const limits = new SafetyLimits({ cooldownMs: safety.cooldownMs, capPerWindow: safety.capPerMinute }, clock);
  const isProtected = protectedMatcher(safety.protected);

  const record = async (req: ActionRequest, outcome: AuditOutcome, dom: DomainRef | undefined, err?: VirtmonError,
    detail?: AuditEntry['detail']): Promise<void> => {
    count(dom?.name ?? req.domain, req.action, RESULT_OF[outcome]);
    const entry: AuditEntry = {
      time: new Date(clock()).toISOString(), source: req.source, action: req.action,
      domain: dom?.name ?? req.domain, outcome,
      ...(dom === undefined ? {} : { uuid: dom.uuid }),
      ...(req.actor === undefined ? {} : { actor: req.actor }),
      ...(req.reason === undefined ? {} : { reason: req.reason }),
      ...(err === undefined ? {} : { code: err.code, error: err.message }),
      ...(detail === undefined ? {} : { detail }),
    };
    const level = outcome === 'failed' ? 'error' : outcome === 'done' || outcome === 'dry-run' ? 'info' : 'warn';
    logger[level]({ ...entry }, `action ${req.action} on ${entry.domain}: ${outcome}`);
    try {
      await audit.append(entry);
    } catch (auditErr) {
      // The domain already changed (or not); failing the request now would misreport it. Log loudly.
      logger.error({ err: String(auditErr) }, 'audit log write failed');
    }
  };

  const refuse = async (req: ActionRequest, dom: DomainRef, outcome: 'refused' | 'rate_limited', detail: string): Promise<never> => {
    const err = new VirtmonError('VIRTMON_ERR_ACTION_REFUSED', detail);
    await record(req, outcome, dom, err);
    throw err;
  };

  /** define/create/restore: nothing to look up, protect or book; the driver names the new domain. */
  const performNew = async (req: ActionRequest & { readonly action: NewDomainAction }, detail: AuditEntry['detail']): Promise<ActionResult> => {
    if (safety.dryRun || req.dryRun === true) {
      await record(req, 'dry-run', undefined, undefined, detail);
      return { action: req.action, domain: { name: req.domain, uuid: '', id: -1 }, outcome: 'dry-run' };
    }
    try {
      const made = await runNewDomainAction(ops, req);
      await record(req, 'done', made, undefined, detail);
      return { action: req.action, domain: made, outcome: 'done' };
    } catch (e) {
      const err = toVirtmonError(e);
      await record(req, 'failed', undefined, err, detail);
      throw err;
    }
  };

  return {
    async perform(req: ActionRequest): Promise<ActionResult> {
      const detail = auditDetail(req);
      const operator = isOperatorAction(req.action);
      if (!mayRequest(req.source, operator)) {
        const err = new VirtmonError('VIRTMON_ERR_ACTION_REFUSED', `${req.action} is an operator action; ${req.source} may not ask for it`);
        await record(req, 'refused', undefined, err, detail);
        throw err;
      }
      const action = req.action;
      if (makesNewDomain(action)) return performNew({ ...req, action }, detail);
      let dom: DomainRef;
      try {
        dom = await ops.lookupDomain(req.domain);
      } catch (e) {
        const err = toVirtmonError(e);
        await record(req, 'failed', undefined, err, detail);
        throw err;
      }
      if (honoursProtection(req.source) && isProtected(dom.name, dom.uuid)) {
        return refuse(req, dom, 'refused', `domain '${dom.name}' is protected from ${req.source} actions`);
      }
      let state: StateWithReason | undefined;
      try {
        if (!operator) state = await ops.getState(dom);
      } catch (e) {
        const err = toVirtmonError(e);
        // A driver without virDomainGetState: act without the idempotence shortcut, the driver decides.
        if (err.code !== 'VIR_ERR_NO_SUPPORT') {
          await record(req, 'failed', dom, err, detail);
          throw err;
        }
      }
      if (state !== undefined && alreadyDone(req.action, state.state, req.source)) {
        await record(req, 'noop', dom, undefined, detail);
        return { action: req.action, domain: dom, outcome: 'noop' };
      }
      if (isAutomated(req.source) && !operator) {
        const verdict = limits.tryBook(dom.uuid, req.action);
        if (!verdict.ok) return refuse(req, dom, 'rate_limited', verdict.detail);
      }
      if (safety.dryRun || req.dryRun === true) {
        await record(req, 'dry-run', dom, undefined, detail);
        return { action: req.action, domain: dom, outcome: 'dry-run' };
      }
      try {
        const after = await runDomainAction(ops, dom, req);
        await record(req, 'done', after, undefined, detail);
        return { action: req.action, domain: after, outcome: 'done' };
      } catch (e) {
        const err = toVirtmonError(e);
        await record(req, 'failed', dom, err, detail);
        throw err;
      }
    },
  };
}
