/**
 * The guarded Actions service over the agent's connection: dry-run, cooldown, global cap, protected
 * domains, the fsynced audit log and virtmon_remediation_actions_total (src/actions/README.md). The API,
 * SNMP SET, alert rules and the Alertmanager receiver all get this one object as `ctx.actions`.
 */
import { FileAuditLog } from '../../actions/audit-log.ts';
import { RecentAudit } from '../../actions/recent-audit.ts';
import { createActionsService } from '../../alerts/alerting.ts';
import type { Actions } from '../../actions/types.ts';
import type { AgentContext } from '../components.ts';

/** Builds the service and records it in `ctx.links` for the rules' notifications. */
export function guardedActions(ctx: Omit<AgentContext, 'actions'>): Actions {
  const audit = new RecentAudit(new FileAuditLog(ctx.config.alerts.auditLog));
  ctx.links.recentActions = audit;
  const service = createActionsService({
    audit, settings: ctx.config.alerts, ops: ctx.conn, registry: ctx.registry, logger: ctx.logger.child({ room: 'actions' }),
  });
  ctx.links.actionsService = service;
  return service.actions;
}

/** Closes the audit log last, after everything that acts has stopped (first in the component list). */
export function auditComponent(ctx: AgentContext): { name: string; start(): Promise<void>; stop(): Promise<void> } | undefined {
  const service = ctx.links.actionsService;
  if (service === undefined) return undefined;
  return { name: 'audit-log', start: () => Promise.resolve(), stop: () => service.close() };
}
