/**
 * The alerting feature as the agent runs it: the guarded Actions service (shared with the API, CLI
 * and SNMP), the notifier, the rule engine on the snapshot and the dispatcher between them, built from
 * the resolved `alerts` config block. Rules are loaded and validated here, before anything starts, so a
 * bad rules file stops the agent with VIRTMON_ERR_RULES and changes nothing.
 */
import type { Registry } from 'prom-client';
import type { ResolvedAlerts } from '../config/blocks/alerts.ts';
import type { Logger } from '../domain/logger.ts';
import type { SnapshotView } from '../snapshot/types.ts';
import { FileAuditLog, type AuditSink } from '../actions/audit-log.ts';
import { remediationCounter } from '../actions/counter.ts';
import { createNotifier, type Notifier, type TrapSender } from '../actions/notify/notifier.ts';
import { createGuardedActions, type GuardedOps } from '../actions/service.ts';
import type { Actions } from '../actions/types.ts';
import { notificationCounter } from './counter.ts';
import { createRuleDispatcher } from './dispatch.ts';
import { AlertEngine, type RuleDomainState } from './engine.ts';
import { loadRulesFile } from './load-rules.ts';
import type { RuleSet } from './rules.ts';

/** Inputs of {@link createAlerting}. */
export interface AlertingOptions {
  readonly settings: ResolvedAlerts;
  /** The agent's connection (a drivers/dispatch Connection fits). */
  readonly ops: GuardedOps;
  readonly snapshot: SnapshotView;
  /** `collection.intervalMs`: rates are not computed across gaps longer than 2 intervals. */
  readonly intervalMs: number;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The SNMP bridge's trap sender, when SNMP is configured. */
  readonly trap?: TrapSender;
  /** Default: a FileAuditLog on `settings.auditLog`. */
  readonly audit?: AuditSink;
  /** Default: loaded from `settings.rulesFile` (none = no rules). */
  readonly rules?: RuleSet;
  readonly clock?: () => number;
}

/** The running feature. */
export interface Alerting {
  /** The one guarded path that changes domains: give it to the API, the SNMP bridge and the receiver. */
  readonly actions: Actions;
  readonly notifier: Notifier;
  readonly rules: RuleSet;
  /** Current state of every rule on every selected active domain (`virtmon alerts`, the API). */
  states(): RuleDomainState[];
  start(): Promise<void>;
  /** Stops evaluating, waits for actions in flight, closes the audit log. */
  stop(): Promise<void>;
}

/** Builds the feature; rejects with VIRTMON_ERR_RULES for a bad rules file. */
export async function createAlerting(o: AlertingOptions): Promise<Alerting> {
  const rules = o.rules ?? (o.settings.rulesFile === undefined
    ? { file: '', rules: [], webhooks: new Map(), exec: new Map() }
    : await loadRulesFile(o.settings.rulesFile));
  const audit = o.audit ?? new FileAuditLog(o.settings.auditLog);
  const count = remediationCounter(o.registry);
  const logger = o.logger.child({ component: 'alerts' });
  const clock = o.clock ?? Date.now;
  const actions = createGuardedActions({
    ops: o.ops, audit, count, logger, clock,
    safety: { dryRun: o.settings.dryRun, cooldownMs: o.settings.cooldownMs, capPerMinute: o.settings.capPerMinute, protected: o.settings.protected },
  });
  const notifier = createNotifier({ audit, count, logger, clock, ...(o.trap === undefined ? {} : { trap: o.trap }) });
  const dispatcher = createRuleDispatcher({ actions, notifier, rules, logger, dryRun: o.settings.dryRun });
  const countNotification = notificationCounter(o.registry);
  const engine = new AlertEngine({
    snapshot: o.snapshot, rules, intervalMs: o.intervalMs, logger, clock,
    onNotify: (n, rule) => {
      countNotification(rule.name, n.severity);
      dispatcher.listener(n, rule);
    },
  });
  return {
    actions, notifier, rules,
    states: () => engine.states(),
    start: () => engine.start(),
    stop: async () => {
      await engine.stop();
      await dispatcher.idle();
      await audit.close();
    },
  };
}
