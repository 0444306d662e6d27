/** OTLP push of the snapshot (config `otel`, off by default). */
import { Counter } from 'prom-client';
import { METRICS_BY_NAME } from '../../catalog/metrics.ts';
import { createOtelExporter } from '../../exporters/otel/exporter.ts';
import { prometheusOptionsFromConfig } from '../../exporters/prometheus/index.ts';
import type { AgentContext, Component } from '../components.ts';

/** The exporter as an agent component, or undefined when `otel.enabled` is false. */
export function otelComponent(ctx: AgentContext): Component | undefined {
  if (!ctx.config.otel.enabled) return undefined;
  const exporter = createOtelExporter({
    block: ctx.config.otel, env: process.env, collectionIntervalMs: ctx.config.collection.intervalMs,
    snapshot: ctx.snapshot,
    // The same catalog selection as /metrics, so both outputs carry the same families.
    catalog: prometheusOptionsFromConfig(ctx.config).catalog,
    logger: ctx.logger.child({ room: 'otel' }), version: ctx.version,
  });
  const help = METRICS_BY_NAME.get('virtmon_otlp_exports_total')?.help ?? 'OTLP metric exports by result.';
  // Read from the exporter's own tally at scrape time, so /metrics and the exporter never disagree.
  new Counter({
    name: 'virtmon_otlp_exports_total', help, labelNames: ['result'], registers: [ctx.registry],
    collect() {
      const stats = exporter.exports();
      this.reset();
      this.inc({ result: 'ok' }, stats.ok);
      this.inc({ result: 'failed' }, stats.failed);
    },
  });
  return { name: 'otel', start: () => exporter.start(), stop: () => exporter.stop() };
}
