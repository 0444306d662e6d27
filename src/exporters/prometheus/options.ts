/**
 * The Prometheus exporter's settings, resolved once from the agent config (style.md: options objects are
 * resolved into a `Resolved…` type up front): which catalog families are emitted (metrics.compat,
 * metrics.metadataLabels, collectors.<name>.enabled, domains.includeInactive), /metrics protection
 * (metrics.auth) and render tuning. Bad values are VIRTMON_ERR_CONFIG errors naming the key.
 */
import { resolveCatalogOptions } from '../../catalog/options.ts';
import type { ResolvedCatalogOptions } from '../../catalog/options.ts';
import type { CollectorName, CompatSet } from '../../catalog/types.ts';
import type { MetadataLabelSpec } from '../../catalog/metadata-labels.ts';
import { resolveMetricsAuth } from './auth.ts';
import type { MetricsAuth, MetricsAuthConfig } from './auth.ts';
import type { HostExtras } from './render-domains.ts';

/** The parts of the resolved agent config the exporter reads. */
export interface PrometheusConfigInput {
  readonly metrics: {
    readonly compat: readonly CompatSet[];
    readonly metadataLabels: readonly MetadataLabelSpec[];
    readonly auth?: MetricsAuthConfig;
  };
  readonly collectors: Readonly<Partial<Record<CollectorName, { readonly enabled?: boolean }>>>;
  readonly domains: { readonly includeInactive: boolean };
}

/** Everything the plugin needs besides its dependencies. */
export interface ResolvedPrometheusOptions {
  readonly catalog: ResolvedCatalogOptions;
  /** Undefined: /metrics is open (the default; the listener binds loopback by default). */
  readonly auth: MetricsAuth | undefined;
  readonly path: string;
  /** Render work per event-loop slice in ms (0: never yield). */
  readonly sliceMs: number;
  /** zlib level of the cached gzip. */
  readonly gzipLevel: number;
  /** Render each new snapshot version right away in the last scraped format (default true). */
  readonly prerender: boolean;
  readonly extras: HostExtras;
}

/** Tuning and paths not in the config file. */
export interface PrometheusTuning {
  readonly path?: string;
  readonly sliceMs?: number;
  readonly gzipLevel?: number;
  readonly prerender?: boolean;
  readonly extras?: HostExtras;
}

/** Resolves the exporter options from the agent config. */
export function prometheusOptionsFromConfig(config: PrometheusConfigInput, tuning: PrometheusTuning = {}): ResolvedPrometheusOptions {
  const collectors: Partial<Record<CollectorName, boolean>> = {};
  for (const [name, c] of Object.entries(config.collectors)) {
    if (c?.enabled !== undefined) collectors[name as CollectorName] = c.enabled;
  }
  const gzipLevel = tuning.gzipLevel ?? 1;
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9) throw new RangeError(`gzipLevel must be 1..9, got ${gzipLevel}`);
  const sliceMs = tuning.sliceMs ?? 5;
  if (!(sliceMs >= 0)) throw new RangeError(`sliceMs must be >= 0, got ${sliceMs}`);
  const path = tuning.path ?? '/metrics';
  if (!path.startsWith('/')) throw new RangeError(`path must start with '/', got ${path}`);
  return {
    catalog: resolveCatalogOptions({
      compat: config.metrics.compat,
      metadataLabels: config.metrics.metadataLabels,
      collectors,
      includeInactive: config.domains.includeInactive,
    }),
    auth: resolveMetricsAuth(config.metrics.auth),
    path, sliceMs, gzipLevel, prerender: tuning.prerender ?? true,
    extras: tuning.extras ?? {},
  };
}
