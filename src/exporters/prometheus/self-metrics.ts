/**
 * The agent's own metrics (metrics.md §6) on a prom-client Registry passed in (never the global one):
 * prom-client's process and Node.js metrics, build info, per-collector duration and success, the cycle
 * duration histogram, skipped cycles and domain collections, errors by kind, and the /metrics render time.
 * Names and help come from the catalog rows. Values that live in the snapshot's health are read in
 * `collect()` at scrape time; a collect() never throws.
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import type { Registry } from 'prom-client';
import { DURATION_BUCKETS, metric } from '../../catalog/metrics.ts';
import type { CycleReport, SnapshotView } from '../../snapshot/types.ts';

/** What the agent and the plugin feed into the self metrics. */
export interface SelfMetrics {
  /** Hook for `store.onCycle` (a bound function): observes the cycle duration. */
  readonly onCycle: (report: CycleReport) => void;
  /** Called by the /metrics plugin with each response's render time. */
  readonly observeScrape: (seconds: number) => void;
}

/** Options of {@link registerSelfMetrics}. */
export interface SelfMetricsOptions {
  /** virtmon's version for `virtmon_build_info`. */
  readonly version: string;
  /** Register prom-client's process_* and nodejs_* metrics (default true). */
  readonly defaultMetrics?: boolean;
}

const labelled = (name: string, labelNames: string[]) => ({ name, help: metric(name).help, labelNames });

/** Registers the self metrics on `registry`, reading agent health from `snapshot`. */
export function registerSelfMetrics(registry: Registry, snapshot: SnapshotView, options: SelfMetricsOptions): SelfMetrics {
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const build = new Gauge({ ...labelled('virtmon_build_info', ['version', 'node_version']), registers });
  build.set({ version: options.version, node_version: process.version }, 1);

  new Gauge({
    ...labelled('virtmon_collector_duration_seconds', ['collector']), registers,
    collect() {
      this.reset();
      for (const c of snapshot.health().collectors) this.set({ collector: c.name }, c.durationSeconds);
    },
  });
  new Gauge({
    ...labelled('virtmon_collector_success', ['collector']), registers,
    collect() {
      this.reset();
      for (const c of snapshot.health().collectors) this.set({ collector: c.name }, c.success ? 1 : 0);
    },
  });
  const cycles = new Histogram({
    ...labelled('virtmon_collection_cycle_duration_seconds', []), buckets: [...DURATION_BUCKETS], registers,
  });
  // Counters mirror the scheduler's running totals: reset, then set to the total (never decreases).
  new Counter({
    ...labelled('virtmon_collection_cycles_skipped_total', []), registers,
    collect() {
      this.reset();
      this.inc(snapshot.health().cyclesSkipped);
    },
  });
  new Counter({
    ...labelled('virtmon_domain_collections_skipped_total', ['domain']), registers,
    collect() {
      this.reset();
      for (const [uuid, n] of snapshot.health().domainSkips) {
        const name = snapshot.get(uuid)?.sample.name;
        if (name !== undefined) this.inc({ domain: name }, n);
      }
    },
  });
  new Counter({
    ...labelled('virtmon_errors_total', ['kind']), registers,
    collect() {
      this.reset();
      for (const [kind, n] of snapshot.health().errorsByKind) this.inc({ kind }, n);
    },
  });
  const scrape = new Histogram({
    ...labelled('virtmon_scrape_duration_seconds', []), buckets: [...DURATION_BUCKETS], registers,
  });

  return {
    onCycle: (report) => { cycles.observe(report.durationSeconds); },
    observeScrape: (seconds) => { scrape.observe(seconds); },
  };
}
