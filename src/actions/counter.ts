/**
 * `virtmon_remediation_actions_total{domain,action,result}` (metrics.md §6) on a registry passed in.
 * The catalog row (src/catalog/metrics-self.ts) owns name, help and labels; this only instantiates it.
 */
import { Counter, type Registry } from 'prom-client';
import { metric } from '../catalog/metrics.ts';

/** Results the counter uses (metrics.md §6). A no-op counts as success: nothing was wrong. */
export type CounterResult = 'success' | 'failed' | 'dry_run' | 'refused' | 'rate_limited';

/** Counts one action outcome. */
export type CountAction = (domain: string, action: string, result: CounterResult) => void;

/** Registers the counter on `registry` and returns the function that increments it. */
export function remediationCounter(registry: Registry): CountAction {
  const def = metric('virtmon_remediation_actions_total');
  const existing = registry.getSingleMetric(def.name);
  const counter = existing instanceof Counter
    ? existing as Counter<'domain' | 'action' | 'result'>
    : new Counter({ name: def.name, help: def.help, labelNames: ['domain', 'action', 'result'] as const, registers: [registry] });
  return (domain, action, result) => { counter.inc({ domain, action, result }); };
}
