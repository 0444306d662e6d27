/**
 * The OTLP transport for the configured protocol (the SDK's exporters: HTTP/protobuf, HTTP/JSON, gRPC),
 * wrapped so every export result is counted and logged complain/release style: one warning on the first
 * failure, one info line on recovery, nothing in between (collectd's c_complain/c_release).
 *
 * Retries are the SDK's: its retrying transport retries 429/502/503/504 and connection errors with
 * exponential backoff (1 s × 1.5, max 5 s, jitter), honours Retry-After, and gives up when the next try
 * would pass the export deadline (timeoutMillis). A bounded queue (concurrencyLimit) refuses exports
 * beyond it at once, so nothing grows while a collector is away.
 */
import { Metadata, credentials } from '@grpc/grpc-js';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Logger } from '../../domain/logger.ts';
import type { OtelSettings } from './settings.ts';

/** Export results so far (virtmon_otlp_exports_total{result}). */
export interface ExportCounts {
  ok: number;
  failed: number;
  /** Message of the last failure, for the status page; undefined after a success. */
  lastError: string | undefined;
}

/** An exporter that can tell when none of its exports is in flight any more. */
export interface CountingExporter extends PushMetricExporter {
  /** Resolves once no export is in flight (at once when none is). */
  idle(): Promise<void>;
}

/**
 * At most this many exports in flight inside the SDK exporter. The periodic reader never overlaps its
 * own runs, so more than one only happens when a timed-out export is still unwinding.
 */
const CONCURRENCY_LIMIT = 2;

/** The SDK exporter for the settings' protocol. */
export function createOtlpExporter(settings: OtelSettings): PushMetricExporter {
  const compression = settings.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
  const common = { url: settings.url, timeoutMillis: settings.timeoutMs, concurrencyLimit: CONCURRENCY_LIMIT, compression };
  switch (settings.protocol) {
    case 'http/protobuf':
      return new ProtoExporter({ ...common, headers: { ...settings.headers } });
    case 'http/json':
      return new JsonExporter({ ...common, headers: { ...settings.headers } });
    case 'grpc': {
      const metadata = new Metadata();
      for (const [k, v] of Object.entries(settings.headers)) metadata.set(k, v);
      const secure = settings.url.startsWith('https:');
      return new GrpcExporter({
        ...common, metadata, credentials: secure ? credentials.createSsl() : credentials.createInsecure(),
      });
    }
  }
}

function describe(result: ExportResult): string {
  const e = result.error;
  return e === undefined ? 'export failed' : e.message;
}

/**
 * Wraps an exporter: counts results into `counts`, logs the first failure and the recovery, and tracks
 * exports in flight (the reader abandons one at its timeout, but the request may still be running).
 */
export function countingExporter(inner: PushMetricExporter, counts: ExportCounts, logger: Logger, url: string): CountingExporter {
  let failing = false;
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const wrapped: CountingExporter = {
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => { waiters.push(resolve); })),
    export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
      inFlight++;
      inner.export(metrics, (result) => {
        inFlight--;
        if (inFlight === 0) for (const w of waiters.splice(0)) w();
        if (result.code === ExportResultCode.SUCCESS) {
          counts.ok++;
          counts.lastError = undefined;
          if (failing) {
            failing = false;
            logger.info({ url, failedExports: counts.failed }, 'OTLP export recovered');
          }
        } else {
          counts.failed++;
          counts.lastError = describe(result);
          if (!failing) {
            failing = true;
            logger.warn({ url, err: counts.lastError }, 'OTLP export failed; retrying every interval, logging again on recovery');
          }
        }
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
  if (inner.selectAggregationTemporality !== undefined) {
    wrapped.selectAggregationTemporality = inner.selectAggregationTemporality.bind(inner);
  }
  return wrapped;
}
