/**
 * The OpenTelemetry exporter component (issue 7): pushes the snapshot over OTLP on its own timer.
 *
 * Built from the SDK: a MeterProvider with our resource, a PeriodicExportingMetricReader (it skips a run
 * while the previous export is in flight, clamps the timeout to the interval and unrefs its timer) and
 * the OTLP exporter of the configured protocol, fed by {@link createSnapshotProducer}. Sampling and
 * /metrics never wait on it: the producer reads the snapshot synchronously and everything slow (the
 * network, retries, backoff) happens inside the reader's one in-flight export.
 */
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { ResolvedOtelBlock } from '../../config/blocks/otel.ts';
import type { ResolvedCatalogOptions } from '../../catalog/options.ts';
import type { Logger } from '../../domain/logger.ts';
import type { SnapshotView } from '../../snapshot/types.ts';
import type { Env } from './env.ts';
import { createSnapshotProducer, type SnapshotProducer } from './producer.ts';
import { buildResource, type HostFacts } from './resource.ts';
import { resolveOtelSettings, type OtelSettings } from './settings.ts';
import { countingExporter, createOtlpExporter, type CountingExporter, type ExportCounts } from './transport.ts';

/** Waits until the exporter is idle or `ms` passed (the timer does not hold the process open). */
function untilIdleOr(exporter: CountingExporter, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void exporter.idle().then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Inputs of {@link createOtelExporter}. */
export interface OtelExporterOptions {
  /** The resolved `otel` config block. */
  readonly block: ResolvedOtelBlock;
  /** Environment for the OTEL_* variables (the agent passes process.env). */
  readonly env: Env;
  /** The collection interval: the default export interval when neither config nor env sets one. */
  readonly collectionIntervalMs: number;
  readonly snapshot: SnapshotView;
  readonly catalog: ResolvedCatalogOptions;
  readonly logger: Logger;
  /** virtmon's version (service.version, scope version). */
  readonly version: string;
  /** Host name and machine-id path (tests). */
  readonly host?: HostFacts;
  /** Wall clock in ms (tests). */
  readonly now?: () => number;
}

/** What the exporter reports about itself (status page, `virtmon_otlp_exports_total`). */
export interface OtelExportStats {
  readonly enabled: boolean;
  readonly running: boolean;
  /** Exports that succeeded / failed (after the SDK's retries). */
  readonly ok: number;
  readonly failed: number;
  readonly lastError: string | undefined;
  /** Collections of the snapshot (one per export attempt). */
  readonly collections: number;
  /** Snapshot version the last export read. */
  readonly lastSnapshotVersion: number | undefined;
  /** Sum series remembered for start times / deltas (bounded by the snapshot). */
  readonly trackedSeries: number;
}

/** The running component. */
export interface OtelExporter {
  /** Settings in force (undefined when disabled). */
  readonly settings: OtelSettings | undefined;
  start(): Promise<void>;
  /** Exports the current snapshot now (tests, shutdown); resolves when the export ended. */
  flush(): Promise<void>;
  stop(): Promise<void>;
  exports(): OtelExportStats;
}

/**
 * Builds the exporter. Settings are resolved here, so a bad OTEL_* variable fails start-up with a
 * VIRTMON_ERR_CONFIG naming it; when `block.enabled` is false the environment is not read at all.
 */
export function createOtelExporter(o: OtelExporterOptions): OtelExporter {
  const logger = o.logger.child({ exporter: 'otel' });
  const settings = o.block.enabled ? resolveOtelSettings(o.block, o.env, o.collectionIntervalMs) : undefined;
  const counts: ExportCounts = { ok: 0, failed: 0, lastError: undefined };
  let provider: MeterProvider | undefined;
  let producer: SnapshotProducer | undefined;
  let transport: CountingExporter | undefined;
  let readErrorLogged = false;

  const start = (): Promise<void> => {
    if (settings === undefined || provider !== undefined) return Promise.resolve();
    if (settings.timeoutClamped) logger.info({ timeoutMs: settings.timeoutMs }, 'OTLP export timeout lowered to the export interval');
    const resource = buildResource(o.version, settings.resourceAttributes, o.host);
    producer = createSnapshotProducer({
      snapshot: o.snapshot, catalog: o.catalog, temporality: settings.temporality, version: o.version, counts,
      metadataAttributes: o.block.metadataAttributes === true,
      onError: (err) => {
        if (readErrorLogged) return;
        readErrorLogged = true;
        logger.error({ err: String(err) }, 'OTLP exporter could not read a domain from the snapshot; logged once');
      },
      now: o.now ?? Date.now, resource,
    });
    transport = countingExporter(createOtlpExporter(settings), counts, logger, settings.url);
    const reader = new PeriodicExportingMetricReader({
      exporter: transport,
      exportIntervalMillis: settings.intervalMs,
      exportTimeoutMillis: settings.timeoutMs,
      metricProducers: [producer],
    });
    // The provider starts the reader's timer; it has no instruments of its own (the producer feeds it).
    provider = new MeterProvider({ resource, readers: [reader] });
    logger.info({
      protocol: settings.protocol, url: settings.url, intervalMs: settings.intervalMs, temporality: settings.temporality,
    }, 'OTLP metric export started');
    return Promise.resolve();
  };

  return {
    settings,
    start,
    flush: async () => { await provider?.forceFlush({ timeoutMillis: settings?.timeoutMs ?? 0 }); },
    stop: async () => {
      const p = provider;
      const t = transport;
      provider = undefined;
      transport = undefined;
      if (p === undefined || t === undefined || settings === undefined) return;
      // One last export (bounded by the timeout), then the transport closes.
      await p.shutdown({ timeoutMillis: settings.timeoutMs }).catch((err: unknown) => {
        logger.debug({ err: String(err) }, 'OTLP exporter shutdown did not finish in time');
      });
      // The reader may have given up on an export whose request still runs; the transport ends it at its
      // own timeout. Wait for that (bounded again), so nothing of ours is on the wire once stop() resolves.
      await untilIdleOr(t, settings.timeoutMs);
    },
    exports: () => ({
      enabled: settings !== undefined,
      running: provider !== undefined,
      ok: counts.ok,
      failed: counts.failed,
      lastError: counts.lastError,
      collections: producer?.collections ?? 0,
      lastSnapshotVersion: producer?.lastVersion,
      trackedSeries: producer?.trackedSeries ?? 0,
    }),
  };
}
