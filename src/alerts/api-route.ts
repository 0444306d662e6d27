/**
 * `GET /v1/alerts` for the control API: the loaded rules and the current state of every rule on every
 * selected active domain, as JSON (what `virtmon alerts` prints through the agent). A read route.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { RuleDomainState } from './engine.ts';
import type { RuleAction, RuleSet } from './rules.ts';

/** Plugin options: where the rules and states come from (the alerts component). */
export interface AlertsRouteOptions {
  readonly rules: () => RuleSet;
  readonly states: () => RuleDomainState[];
}

const actionName = (a: RuleAction): string => (a.kind === 'domain' ? a.action : a.kind === 'webhook' || a.kind === 'exec' ? `${a.kind}:${a.name}` : a.kind);

/** JSON form of the rules (no webhook URLs or headers: they may hold credentials). */
export function rulesJson(set: RuleSet): Record<string, unknown>[] {
  return set.rules.map((r) => ({
    name: r.name, metric: r.metric.name, rate: r.rate,
    warning: r.thresholds.warning, failure: r.thresholds.failure, invert: r.thresholds.invert, hysteresis: r.thresholds.hysteresis,
    forSeconds: r.debounce.forMs / 1000, hits: r.debounce.hits, interesting: r.interesting, dryRun: r.dryRun, resolve: r.resolve,
    actions: { failure: r.actions.failure.map(actionName), warning: r.actions.warning.map(actionName), okay: r.actions.okay.map(actionName) },
  }));
}

/** The route plugin. */
export const alertsRoutes: FastifyPluginAsync<AlertsRouteOptions> = (app, opts) => {
  app.get('/v1/alerts', { config: { access: 'read' } }, () => ({
    file: opts.rules().file,
    rules: rulesJson(opts.rules()),
    states: opts.states(),
  }));
  return Promise.resolve();
};
