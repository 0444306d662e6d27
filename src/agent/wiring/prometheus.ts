/** `/metrics` on the HTTP listener: domain series from the snapshot plus the agent's self metrics. */
import { prometheusOptionsFromConfig, prometheusPlugin, registerSelfMetrics } from '../../exporters/prometheus/index.ts';
import type { HttpPlugin } from '../../http/app.ts';
import type { AgentContext } from '../components.ts';

/** The plugin on the agent's shared registry; cycle durations come from the store's cycle reports. */
export function metricsPlugin(ctx: AgentContext): HttpPlugin {
  const selfMetrics = registerSelfMetrics(ctx.registry, ctx.snapshot, { version: ctx.version });
  ctx.collection.store.onCycle(selfMetrics.onCycle);
  return {
    name: 'prometheus',
    plugin: prometheusPlugin,
    options: { snapshot: ctx.snapshot, registry: ctx.registry, selfMetrics, options: prometheusOptionsFromConfig(ctx.config) },
  };
}
