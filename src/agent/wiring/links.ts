/**
 * Objects one agent's components share, bound late: the guarded Actions service (its audit log and
 * counter feed the rules' notifications), the alert engine (the status page shows its states) and the
 * SNMP bridge. One per agent, created in startAgent; never module state.
 */
import type { ActionsService } from '../../alerts/alerting.ts';
import type { AlertsComponent } from '../../alerts/alerting.ts';
import type { RecentAudit } from '../../actions/recent-audit.ts';
import type { SnmpBridge } from '../../exporters/snmp/bridge.ts';

/** Filled in as the agent builds its parts (actions first, then components in order). */
export interface AgentLinks {
  actionsService?: ActionsService;
  /** The audit trail's newest entries. */
  recentActions?: RecentAudit;
  alerts?: AlertsComponent;
  /** The running SNMP bridge (its bound address, counters). */
  snmp?: SnmpBridge;
}
