/**
 * The catalog regrouped for the non-Prometheus outputs: OTel instruments (several Prometheus rows feed one
 * instrument with different attributes, e.g. read and write bytes → `libvirt.domain.disk.io`) and collectd
 * value lists (several rows feed the data sources of one type, e.g. rx and tx → `if_octets`).
 */
import { CATALOG, COLLECTD_TYPES } from './metrics.ts';
import type { CollectdDsType, MetricDef, OtelInstrument } from './types.ts';

/** One OTel instrument and the catalog rows whose points it carries. */
export interface OtelInstrumentDef {
  readonly name: string;
  readonly instrument: OtelInstrument;
  readonly unit: string;
  readonly rows: readonly MetricDef[];
}

/** One collectd type + type_instance template and the rows feeding its data sources, in types.db order. */
export interface CollectdValueListDef {
  readonly type: string;
  /** Template: `<dev>`, `<if>`, `<n>` are replaced by the device name or vCPU index. */
  readonly typeInstance: string;
  /** Data sources in types.db order with the row feeding each (undefined if none does). */
  readonly sources: readonly { readonly ds: string; readonly dsType: CollectdDsType; readonly row: MetricDef | undefined }[];
}

/** OTel instruments in catalog order, among `rows` (default: the whole catalog). */
export function otelInstruments(rows: readonly MetricDef[] = CATALOG): OtelInstrumentDef[] {
  const byName = new Map<string, MetricDef[]>();
  for (const m of rows) {
    if (m.otel === undefined) continue;
    const list = byName.get(m.otel.name);
    if (list === undefined) byName.set(m.otel.name, [m]);
    else list.push(m);
  }
  const out: OtelInstrumentDef[] = [];
  for (const [name, ms] of byName) {
    const first = ms[0]?.otel;
    if (first !== undefined) out.push({ name, instrument: first.instrument, unit: first.unit, rows: ms });
  }
  return out;
}

/** collectd value lists in catalog order, among `rows` (default: the whole catalog). */
export function collectdValueLists(rows: readonly MetricDef[] = CATALOG): CollectdValueListDef[] {
  const byId = new Map<string, MetricDef[]>();
  for (const m of rows) {
    if (m.collectd === undefined) continue;
    const id = `${m.collectd.type}/${m.collectd.typeInstance}`;
    const list = byId.get(id);
    if (list === undefined) byId.set(id, [m]);
    else list.push(m);
  }
  const out: CollectdValueListDef[] = [];
  for (const ms of byId.values()) {
    const c = ms[0]?.collectd;
    if (c === undefined) continue;
    const sources = (COLLECTD_TYPES[c.type] ?? []).map(([ds, dsType]) => ({
      ds, dsType, row: ms.find((m) => m.collectd?.ds === ds),
    }));
    out.push({ type: c.type, typeInstance: c.typeInstance, sources });
  }
  return out;
}
