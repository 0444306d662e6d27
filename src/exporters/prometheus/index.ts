/**
 * The Prometheus exporter's public surface for the agent's composition root: the /metrics plugin, the self
 * metrics, the config → options resolution and the HTTPS options of the listener.
 */
export { prometheusPlugin } from './plugin.ts';
export type { PrometheusPluginOptions } from './plugin.ts';
export { registerSelfMetrics } from './self-metrics.ts';
export type { SelfMetrics, SelfMetricsOptions } from './self-metrics.ts';
export { prometheusOptionsFromConfig } from './options.ts';
export type { PrometheusConfigInput, PrometheusTuning, ResolvedPrometheusOptions } from './options.ts';
export { httpsOptions } from './tls.ts';
export type { HttpTlsConfig, HttpsServerOptions } from './tls.ts';
