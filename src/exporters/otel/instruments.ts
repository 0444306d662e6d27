/**
 * The OTel instruments the exporter reports, derived from catalog rows (metrics.md §11): name, kind,
 * UCUM unit, description, and the attributes of a row's points (identity, label-mapped, fixed).
 */
import type { Attributes } from '@opentelemetry/api';
import { InstrumentType } from '@opentelemetry/sdk-metrics';
import { otelInstruments } from '../../catalog/crosswalk.ts';
import { metadataLabelValues } from '../../catalog/metadata-labels.ts';
import type { ResolvedCatalogOptions } from '../../catalog/options.ts';
import type { DomainDef } from '../../domain/def.ts';
import type { MetricDef } from '../../catalog/types.ts';
import { ATTR_DOMAIN_METADATA_PREFIX, ATTR_DOMAIN_NAME, ATTR_DOMAIN_UUID, INT_ATTRIBUTES } from './semconv.ts';

/** Instrument kinds the snapshot can feed (histograms are the agent's own, not in the snapshot). */
export type ObservedKind = 'Counter' | 'UpDownCounter' | 'Gauge';

/** One instrument as the producer emits it. */
export interface InstrumentInfo {
  readonly name: string;
  readonly kind: ObservedKind;
  readonly unit: string;
  readonly description: string;
  readonly instrumentType: InstrumentType;
}

const TYPES: Record<ObservedKind, InstrumentType> = {
  Counter: InstrumentType.OBSERVABLE_COUNTER,
  UpDownCounter: InstrumentType.OBSERVABLE_UP_DOWN_COUNTER,
  Gauge: InstrumentType.OBSERVABLE_GAUGE,
};

/** Instruments of `rows` by OTel name; one row's help describes it, several rows are named. */
export function instrumentTable(rows: readonly MetricDef[]): Map<string, InstrumentInfo> {
  const out = new Map<string, InstrumentInfo>();
  for (const inst of otelInstruments(rows)) {
    if (inst.instrument === 'Histogram') continue;
    const first = inst.rows[0];
    const description = inst.rows.length === 1 && first !== undefined
      ? first.help
      : `The values of ${inst.rows.map((r) => r.name).join(', ')}; attributes tell them apart.`;
    out.set(inst.name, { name: inst.name, kind: inst.instrument, unit: inst.unit, description, instrumentType: TYPES[inst.instrument] });
  }
  return out;
}

/**
 * A point's attributes: for domain rows `libvirt.domain.name` and `.uuid`; labels mapped by the row's
 * `labelAttributes` (labels without a mapping, such as state_desc, are Prometheus-only); the row's
 * fixed attributes (direction, mode …).
 */
export function otelAttributes(row: MetricDef, labelValues: readonly string[], uuid: string | undefined): Attributes {
  const m = row.otel;
  const attrs: Attributes = {};
  row.labelNames.forEach((label, i) => {
    const value = labelValues[i] ?? '';
    if (label === 'domain' && uuid !== undefined) {
      attrs[ATTR_DOMAIN_NAME] = value;
      attrs[ATTR_DOMAIN_UUID] = uuid;
      return;
    }
    const key = m?.labelAttributes?.[label];
    if (key === undefined) return;
    attrs[key] = INT_ATTRIBUTES.has(key) ? Number(value) : value;
  });
  return { ...attrs, ...m?.attributes };
}

/**
 * `libvirt.domain.metadata.<label>` for each label of `metrics.metadataLabels` (empty when missing, so
 * the attribute set is fixed, as for libvirt_domain_metadata_info).
 */
export function metadataAttributes(def: DomainDef, catalog: ResolvedCatalogOptions): Attributes {
  const values = metadataLabelValues(def, catalog.metadataLabels);
  const out: Attributes = {};
  catalog.metadataLabels.forEach((l, i) => { out[`${ATTR_DOMAIN_METADATA_PREFIX}${l.label}`] = values[i] ?? ''; });
  return out;
}
