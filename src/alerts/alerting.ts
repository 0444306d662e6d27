/**
 * The alerting feature as the agent runs it, in two parts that match the composition root:
 * - {@link createActionsService} (synchronous): the guarded Actions service, its audit log and counter,
 *   built once and shared by the control API, the SNMP bridge, the receiver and the rules;
 * - {@link createAlertsComponent}: the rule engine on the snapshot, the notifier and the dispatcher, as a
 *   `{name, start, stop}` component. `start()` loads and validates the rules file before anything runs,
 *   so a bad file fails with VIRTMON_ERR_RULES and changes nothing.
 * {@link createAlerting} composes both (tests, small embeddings).
 */
import type { Registry } from 'prom-client';
import type { ResolvedAlerts } from '../config/blocks/alerts.ts';
import type { Logger } from '../domain/logger.ts';
import type { SnapshotView } from '../snapshot/types.ts';
import { FileAuditLog, type AuditSink } from '../actions/audit-log.ts';
import { remediationCounter, type CountAction } from '../actions/counter.ts';
import { createNotifier, type Notifier, type TrapSender } from '../actions/notify/notifier.ts';
import { createGuardedActions, type GuardedOps } from '../actions/service.ts';
import type { Actions } from '../actions/types.ts';
import { notificationCounter } from './counter.ts';
import { createRuleDispatcher, type RuleDispatcher } from './dispatch.ts';
import { AlertEngine, type RuleDomainState } from './engine.ts';
import { loadRulesFile } from './load-rules.ts';
import type { RuleSet } from './rules.ts';

/** The guarded Actions service with what notifications need to share (audit, counter). */
export interface ActionsService {
  readonly actions: Actions;
  readonly audit: AuditSink;
  readonly count: CountAction;
  /** Closes the audit log (after everything that acts has stopped). */
  close(): Promise<void>;
}

/** Builds the guarded service over the agent's connection (audit file opened on first entry). */
export function createActionsService(o: {
  readonly settings: ResolvedAlerts;
  readonly ops: GuardedOps;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly audit?: AuditSink;
  readonly clock?: () => number;
}): ActionsService {
  const audit = o.audit ?? new FileAuditLog(o.settings.auditLog);
  const count = remediationCounter(o.registry);
  const s = o.settings;
  const actions = createGuardedActions({
    ops: o.ops, audit, count, logger: o.logger, ...(o.clock === undefined ? {} : { clock: o.clock }),
    safety: { dryRun: s.dryRun, cooldownMs: s.cooldownMs, capPerMinute: s.capPerMinute, protected: s.protected },
  });
  return { actions, audit, count, close: () => audit.close() };
}

/** Inputs of {@link createAlertsComponent}. */
export interface AlertsComponentOptions {
  readonly settings: ResolvedAlerts;
  readonly service: ActionsService;
  readonly snapshot: SnapshotView;
  /** `collection.intervalMs`: rates are not computed across gaps longer than 2 intervals. */
  readonly intervalMs: number;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The SNMP bridge's trap sender, when SNMP is configured. */
  readonly trap?: TrapSender;
  /** Default: loaded from `settings.rulesFile` at start (none = no rules). */
  readonly rules?: RuleSet;
  readonly clock?: () => number;
}

/** The rules running on the snapshot. */
export interface AlertsComponent {
  readonly name: 'alerts';
  /** The loaded rules (empty before start). */
  rules(): RuleSet;
  /** Current state of every rule on every selected active domain (`virtmon alerts`, the API). */
  states(): RuleDomainState[];
  start(): Promise<void>;
  /** Stops evaluating and waits for actions in flight. */
  stop(): Promise<void>;
}

const NO_RULES: RuleSet = { file: '', rules: [], webhooks: new Map(), exec: new Map() };

/** Builds the component; nothing is loaded or subscribed before `start()`. */
export function createAlertsComponent(o: AlertsComponentOptions): AlertsComponent {
  const logger = o.logger.child({ component: 'alerts' });
  let rules: RuleSet = o.rules ?? NO_RULES;
  let engine: AlertEngine | undefined;
  let dispatcher: RuleDispatcher | undefined;
  return {
    name: 'alerts',
    rules: () => rules,
    states: () => engine?.states() ?? [],
    async start() {
      if (engine !== undefined) return;
      if (o.rules === undefined && o.settings.rulesFile !== undefined) rules = await loadRulesFile(o.settings.rulesFile);
      const clock = o.clock ?? Date.now;
      const notifier: Notifier = createNotifier({
        audit: o.service.audit, count: o.service.count, logger, clock, ...(o.trap === undefined ? {} : { trap: o.trap }),
      });
      const d = createRuleDispatcher({ actions: o.service.actions, notifier, rules, logger, dryRun: o.settings.dryRun });
      const countNotification = notificationCounter(o.registry);
      engine = new AlertEngine({
        snapshot: o.snapshot, rules, intervalMs: o.intervalMs, logger, clock,
        onNotify: (n, rule) => {
          countNotification(rule.name, n.severity);
          d.listener(n, rule);
        },
      });
      dispatcher = d;
      logger.info({ rules: rules.rules.length, file: rules.file }, 'alert rules loaded');
      await engine.start();
    },
    async stop() {
      await engine?.stop();
      await dispatcher?.idle();
    },
  };
}

/** Inputs of {@link createAlerting}: both parts' options. */
export type AlertingOptions = Omit<AlertsComponentOptions, 'service'> & { readonly ops: GuardedOps; readonly audit?: AuditSink };

/** Actions service and rules together. */
export interface Alerting {
  readonly actions: Actions;
  readonly service: ActionsService;
  readonly component: AlertsComponent;
  states(): RuleDomainState[];
  start(): Promise<void>;
  /** Stops the rules, waits for actions in flight, closes the audit log. */
  stop(): Promise<void>;
}

/** Composes {@link createActionsService} and {@link createAlertsComponent}; loads the rules before resolving. */
export async function createAlerting(o: AlertingOptions): Promise<Alerting> {
  const rules = o.rules ?? (o.settings.rulesFile === undefined ? NO_RULES : await loadRulesFile(o.settings.rulesFile));
  const service = createActionsService({
    settings: o.settings, ops: o.ops, registry: o.registry, logger: o.logger,
    ...(o.audit === undefined ? {} : { audit: o.audit }), ...(o.clock === undefined ? {} : { clock: o.clock }),
  });
  const component = createAlertsComponent({ ...o, service, rules });
  return {
    actions: service.actions, service, component,
    states: () => component.states(),
    start: () => component.start(),
    stop: async () => {
      await component.stop();
      await service.close();
    },
  };
}
