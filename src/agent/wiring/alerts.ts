/** The alert rules on the snapshot (config `alerts.rules`); off when no rules file is configured. */
import { createAlertsComponent } from '../../alerts/alerting.ts';
import { alertmanagerHttpPlugin } from '../../alerts/alertmanager/http-plugin.ts';
import type { HttpPlugin } from '../../http/app.ts';
import type { AgentContext, Component } from '../components.ts';

/** The rules component, sharing the guarded service's audit log and counter. */
export function alertsComponent(ctx: AgentContext): Component | undefined {
  const service = ctx.links.actionsService;
  if (ctx.config.alerts.rulesFile === undefined || service === undefined) return undefined;
  // The snmp component comes first in COMPONENTS and is started before this factory runs, so the
  // bridge is bound here; a rule's `trap` action goes to its sinks (agent mode only: in AgentX mode
  // the host's snmpd owns the sinks, and the rule's trap fails as "no SNMP trap sender is configured").
  const trap = ctx.config.snmp.enabled && ctx.config.snmp.mode === 'agent' ? ctx.links.snmp : undefined;
  const alerts = createAlertsComponent({
    settings: ctx.config.alerts, service, snapshot: ctx.snapshot, intervalMs: ctx.config.collection.intervalMs,
    registry: ctx.registry, logger: ctx.logger, ...(trap === undefined ? {} : { trap }),
  });
  ctx.links.alerts = alerts;
  return alerts;
}

/** POST /v1/alertmanager on the HTTP listener when `alerts.alertmanager.enabled`. */
export function alertmanagerPlugin(ctx: AgentContext): HttpPlugin | undefined {
  return alertmanagerHttpPlugin(ctx.config.alerts, ctx.actions, ctx.logger.child({ room: 'alertmanager' }), ctx.configFile);
}
