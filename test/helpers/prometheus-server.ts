/**
 * A real Prometheus (Debian's 2.42 `prometheus` binary) for the exporter's system tests: the process
 * from prometheus-process.ts (loopback, free port, temp TSDB, 1 s scrape interval) plus an HTTP API
 * client for instant queries and target health.
 */
import { startPrometheusProcess } from './prometheus-process.ts';

/** One series of an instant-query result. */
export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly value: readonly [number, string];
}

/** A running Prometheus. */
export interface PrometheusServer {
  readonly url: string;
  /** Instant query; throws on an API error. */
  query(promql: string): Promise<PromSeries[]>;
  /** Active targets with health and last error. */
  targets(): Promise<Array<{ scrapeUrl: string; health: string; lastError: string }>>;
  /** Stops the process and removes its directory (safe to call twice). */
  stop(): Promise<void>;
  /** Prometheus's own log so far (for failure messages). */
  log(): string;
}

/** Starts Prometheus scraping `targets` (`host:port`) at `metricsPath` every second. */
export async function startPrometheus(targets: readonly string[], metricsPath = '/metrics'): Promise<PrometheusServer> {
  const prom = await startPrometheusProcess({ targets, metricsPath });
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${prom.url}${path}`);
    const body = await res.json() as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus API ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    url: prom.url,
    query: async (q) => (await api<{ result: PromSeries[] }>(`/api/v1/query?query=${encodeURIComponent(q)}`)).result,
    targets: async () => (await api<{ activeTargets: Array<{ scrapeUrl: string; health: string; lastError: string }> }>('/api/v1/targets')).activeTargets,
    stop: () => prom.stop(),
    log: () => prom.log(),
  };
}
