/**
 * A MetricProducer that reads the snapshot through the metric catalog: the same series plans and values
 * the Prometheus output renders (SeriesPlanner + readValue), regrouped into the OTel instruments of
 * metrics.md §11 (`libvirt.domain.*`, UCUM units, semconv attributes). Counters become monotonic sums,
 * UpDownCounters non-monotonic sums, gauges gauges; sum start times and temporality come from
 * {@link SumState}. It never waits: one synchronous pass over the snapshot per export.
 */
import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality, DataPointType, InstrumentType,
  type CollectionResult, type DataPoint, type MetricData, type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import { readValue, SeriesPlanner } from '../../catalog/expand.ts';
import { metric } from '../../catalog/metrics.ts';
import type { ResolvedCatalogOptions } from '../../catalog/options.ts';
import type { SeriesPlan } from '../../catalog/plan.ts';
import type { SnapshotView } from '../../snapshot/types.ts';
import { instrumentTable, metadataAttributes, otelAttributes, type InstrumentInfo } from './instruments.ts';
import { ATTR_OTLP_RESULT, OTLP_EXPORTS_INSTRUMENT, SCOPE_NAME } from './semconv.ts';
import { SumState } from './sum-state.ts';
import type { ExportCounts } from './transport.ts';

/** Inputs of {@link createSnapshotProducer}. */
export interface SnapshotProducerOptions {
  readonly snapshot: SnapshotView;
  readonly catalog: ResolvedCatalogOptions;
  readonly temporality: 'cumulative' | 'delta';
  /** Add the catalog's metadata labels as `libvirt.domain.metadata.<label>` to domain points (metrics.md §11). */
  readonly metadataAttributes?: boolean;
  readonly version: string;
  /** Export results, reported as `virtmon.otlp.exports`. */
  readonly counts: Readonly<ExportCounts>;
  /** Wall clock in ms (injected in tests). */
  readonly now: () => number;
  /** Only for the SDK's type: a producer's resource is ignored by the reader (the provider's is used). */
  readonly resource: Resource;
  /** Told when reading the snapshot threw (a bug; the export then carries only the self metrics). */
  readonly onError?: (error: unknown) => void;
}

/** The producer plus what it last read. */
export interface SnapshotProducer extends MetricProducer {
  /** Snapshot version the last collection read (undefined before the first). */
  readonly lastVersion: number | undefined;
  /** Collections so far. */
  readonly collections: number;
  /** Sum series remembered between collections. */
  readonly trackedSeries: number;
}

/** Per plan slot: its instrument, attributes and series key (built once per plan, reused every export). */
type SlotOut = { readonly info: InstrumentInfo; readonly attributes: Attributes; readonly key: string } | undefined;

interface Bucket {
  readonly info: InstrumentInfo;
  readonly points: DataPoint<number>[];
}

const DURATION = metric('virtmon_collector_duration_seconds');
const SUCCESS = metric('virtmon_collector_success');

/** Builds the producer; register it with the reader as a metric producer. */
export function createSnapshotProducer(o: SnapshotProducerOptions): SnapshotProducer {
  const planner = new SeriesPlanner(o.catalog);
  const table = instrumentTable([...o.catalog.domainFamilies, DURATION, SUCCESS]);
  const exportsInfo: InstrumentInfo = { ...OTLP_EXPORTS_INSTRUMENT, kind: 'Counter', instrumentType: InstrumentType.OBSERVABLE_COUNTER };
  const slotCache = new WeakMap<SeriesPlan, SlotOut[]>();
  const sums = new SumState(o.temporality, o.now());
  const temporality = o.temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  let lastVersion: number | undefined;
  let collections = 0;

  const slotsOf = (plan: SeriesPlan): SlotOut[] => {
    let out = slotCache.get(plan);
    if (out !== undefined) return out;
    const metadata = o.metadataAttributes === true ? metadataAttributes(plan.def, o.catalog) : undefined;
    out = plan.slots.map((slot) => {
      const info = slot.metric.otel === undefined ? undefined : table.get(slot.metric.otel.name);
      if (info === undefined) return undefined;
      const attributes = { ...otelAttributes(slot.metric, slot.labelValues, plan.uuid), ...metadata };
      return { info, attributes, key: `${info.name}\u0000${JSON.stringify(attributes)}` };
    });
    slotCache.set(plan, out);
    return out;
  };

  const collect = (): Promise<CollectionResult> => {
    const nowMs = o.now();
    const end = millisToHrTime(nowMs);
    const buckets = new Map<string, Bucket>();
    // Start times repeat (the exporter's start, earlier export times): one HrTime each per collection.
    const starts = new Map<number, HrTime>();
    const startOf = (ms: number): HrTime => {
      let hr = starts.get(ms);
      if (hr === undefined) {
        hr = millisToHrTime(ms);
        starts.set(ms, hr);
      }
      return hr;
    };
    sums.begin(nowMs);
    const add = (info: InstrumentInfo, key: string, attributes: Attributes, value: number): void => {
      let bucket = buckets.get(info.name);
      if (bucket === undefined) {
        bucket = { info, points: [] };
        buckets.set(info.name, bucket);
      }
      if (info.kind === 'Gauge') {
        bucket.points.push({ startTime: end, endTime: end, attributes, value });
      } else {
        const p = sums.point(key, value, info.kind === 'Counter');
        bucket.points.push({ startTime: startOf(p.startMs), endTime: end, attributes, value: p.value });
      }
    };

    const errors: unknown[] = [];
    const uuids = new Set<string>();
    for (const entry of o.snapshot.entries()) {
      uuids.add(entry.sample.uuid);
      try {
        const plan = planner.plan(entry.sample, entry.def);
        const outs = slotsOf(plan);
        for (let i = 0; i < plan.slots.length; i++) {
          const out = outs[i];
          const slot = plan.slots[i];
          if (out === undefined || slot === undefined) continue;
          const v = readValue(plan, slot, entry.sample);
          if (v === undefined) continue;
          add(out.info, out.key, out.attributes, v * (slot.metric.otel?.scale ?? 1));
        }
      } catch (error) {
        // One domain the catalog cannot plan must not cost the others their export.
        errors.push(error);
      }
    }
    planner.retain(uuids);
    if (errors.length > 0) o.onError?.(errors[0]);

    for (const c of o.snapshot.health().collectors) {
      for (const [row, value] of [[DURATION, c.durationSeconds], [SUCCESS, c.success ? 1 : 0]] as const) {
        const info = table.get(row.otel?.name ?? '');
        if (info === undefined) continue;
        const attributes = otelAttributes(row, [c.name], undefined);
        add(info, `${info.name}\u0000${c.name}`, attributes, value);
      }
    }
    add(exportsInfo, `${exportsInfo.name}\u0000ok`, { [ATTR_OTLP_RESULT]: 'ok' }, o.counts.ok);
    add(exportsInfo, `${exportsInfo.name}\u0000failed`, { [ATTR_OTLP_RESULT]: 'failed' }, o.counts.failed);
    sums.end();
    lastVersion = o.snapshot.version;
    collections++;

    const metrics: MetricData[] = [];
    for (const { info, points } of buckets.values()) {
      const descriptor = { name: info.name, description: info.description, unit: info.unit, valueType: ValueType.DOUBLE, type: info.instrumentType };
      if (info.kind === 'Gauge') {
        metrics.push({ descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: points });
      } else {
        metrics.push({
          descriptor, aggregationTemporality: temporality, dataPointType: DataPointType.SUM, dataPoints: points,
          isMonotonic: info.kind === 'Counter',
        });
      }
    }
    return Promise.resolve({
      resourceMetrics: { resource: o.resource, scopeMetrics: [{ scope: { name: SCOPE_NAME, version: o.version }, metrics }] },
      errors,
    });
  };

  return {
    collect,
    get lastVersion() { return lastVersion; },
    get collections() { return collections; },
    get trackedSeries() { return sums.size; },
  };
}

