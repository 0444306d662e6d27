/** The status page at `/`: the snapshot plus the rules' states and the recent audited actions. */
import type { RuleDomainState } from '../../alerts/engine.ts';
import type { StatusAlert } from '../../exporters/status/types.ts';
import { statusPlugin } from '../../exporters/status/plugin.ts';
import type { HttpPlugin } from '../../http/app.ts';
import type { AgentContext } from '../components.ts';

/** The engine's word for a rule on a domain, in the page's terms. */
function statusAlert(s: RuleDomainState): StatusAlert {
  const state = s.pending ? 'pending' : s.severity === 'okay' ? 'inactive' : 'firing';
  return {
    name: s.rule, state, severity: s.severity, domain: s.domain,
    ...(s.since > 0 ? { since: s.since } : {}),
    ...(s.value === undefined ? {} : { summary: `value ${s.value}` }),
  };
}

/** The plugin with providers bound to this agent's alert engine and audit trail. */
export function statusPagePlugin(ctx: AgentContext): HttpPlugin {
  return {
    name: 'status',
    plugin: statusPlugin,
    options: {
      snapshot: ctx.snapshot,
      alerts: () => (ctx.links.alerts?.states() ?? []).map(statusAlert),
      actions: () => (ctx.links.recentActions?.recent() ?? []).map((e) => ({
        time: Date.parse(e.time), domain: e.domain, action: e.action, result: e.outcome,
        ...(e.actor === undefined ? {} : { actor: e.actor }), ...(e.reason === undefined ? {} : { reason: e.reason }),
      })),
    },
  };
}
