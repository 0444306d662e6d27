/** Routes other rooms add to the control API: `GET /v1/alerts` (rules and their states per domain). */
import { alertsRoutes } from '../../alerts/api-route.ts';
import type { HttpPlugin } from '../../http/app.ts';
import type { AgentContext } from '../components.ts';

/** The extra API plugins, bound to this agent's parts (empty rules when none are configured). */
export function apiPlugins(ctx: AgentContext): HttpPlugin[] {
  return [{
    name: 'alerts-api',
    plugin: alertsRoutes,
    options: {
      rules: () => ctx.links.alerts?.rules() ?? { file: '', rules: [], webhooks: new Map(), exec: new Map() },
      states: () => ctx.links.alerts?.states() ?? [],
    },
  }];
}
