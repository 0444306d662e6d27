/**
 * The shape of one metric catalog row (metrics.md; DESIGN.md "Metric catalog"; style.md habit 7). Every
 * output derives from these rows: the Prometheus family (name, type, help, labels), the OpenTelemetry
 * instrument (§11), the collectd-style value (§12), the LIBVIRT-MIB column where one exists, and
 * docs/metrics.md. Rows are plain data; src/catalog/expand.ts turns a sample into series with them.
 */

/** Prometheus metric type as the catalog records it; `info` is exposed as `gauge` with value 1 (inovex). */
export type MetricType = 'gauge' | 'counter' | 'histogram' | 'info';

/**
 * Conversion from the sample's native unit to the exported unit (metrics.md §2). `none`: the value is not
 * a sample field (info metrics, agent values) or is already computed in the exported unit.
 */
export type Conversion = 'id' | 'ns→s' | 'KiB→B' | 'ms→s' | 'code' | 'none';

/** Which label set a metric has. `custom` metrics list their label names in {@link MetricDef.labelNames}. */
export type LabelKind = 'none' | 'domain' | 'domain+target_device' | 'domain+vcpu' | 'storage_pool' | 'custom';

/** Where the value comes from. */
export type SourceKind =
  /** A per-domain scalar field (`balloon.current`). */
  | 'field'
  /** A per-device field with an index (`block.N.rd.bytes`, `net.N.rx.bytes`). */
  | 'device'
  /** A per-vCPU field (`vcpu.N.time`). */
  | 'vcpu'
  /** Computed from other fields (`used_percent`). */
  | 'derived'
  /** The sample's agent flags (`timedOut`, `cached`, `lastSuccess`). */
  | 'flag'
  /** Labels from the domain definition, value 1. */
  | 'definition'
  /** A storage pool's fields (`pool.capacity`). */
  | 'pool'
  /** Filled by the agent itself (self-metrics, `libvirt_up`, `libvirt_domains`). */
  | 'agent';

/** Which domains a per-domain metric applies to: `all` = active and inactive (D7), `host` = not per domain. */
export type DomainScope = 'active' | 'all' | 'host';

/** Collector switches of metrics.md §9 (`collectors.<name>.enabled`). */
export const COLLECTORS = ['state', 'cpu', 'vcpu', 'memory', 'block', 'interface', 'job', 'storage_pool', 'cgroup'] as const;
/** A collector name. */
export type CollectorName = (typeof COLLECTORS)[number];
/** What feeds a metric: a collector, the domain definition, or the agent. */
export type Feed = CollectorName | 'definition' | 'agent';

/** Compatibility alias sets of metrics.md §7. */
export const COMPAT_SETS = ['tinkoff', 'kumina', 'inovex1'] as const;
/** A compatibility alias set name. */
export type CompatSet = (typeof COMPAT_SETS)[number];

/** Which part of metrics.md a row comes from (docs grouping). */
export type MetricGroup = 'core' | 'info' | 'storage_pool' | 'job' | 'extension' | 'self' | 'compat';

/** OpenTelemetry instrument kinds used by §11. */
export type OtelInstrument = 'Counter' | 'UpDownCounter' | 'Gauge' | 'Histogram';

/** The OTel side of a row (metrics.md §11). Domain data points always carry `libvirt.domain.name` and `.uuid`. */
export interface OtelMapping {
  readonly name: string;
  readonly instrument: OtelInstrument;
  /** UCUM unit (`By`, `s`, `1`, `{packet}`). */
  readonly unit: string;
  /** Fixed extra attributes of this row's points, e.g. `{ 'disk.io.direction': 'read' }`. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Attribute names for the row's non-domain labels (`target_device` → `system.device`, `vcpu` → `libvirt.vcpu.id`). */
  readonly labelAttributes?: Readonly<Record<string, string>>;
  /** Multiplier after the Prometheus conversion (0.01: percent → ratio). */
  readonly scale?: number;
}

/** collectd data source kinds used by the virt plugin's types. */
export type CollectdDsType = 'GAUGE' | 'DERIVE';
/** Value conversion for collectd-style output: native unit, KiB → bytes, ns → ms (integer). */
export type CollectdValue = 'native' | 'KiB→B' | 'ns→ms';

/**
 * The collectd side of a row (metrics.md §12). Rows with the same `type` and `typeInstance` for one
 * device form one value list; `ds` names the data source inside it (order from {@link COLLECTD_TYPES}).
 * `typeInstance` may contain `<dev>` (disk target), `<if>` (interface name) or `<n>` (vCPU index).
 */
export interface CollectdMapping {
  readonly type: string;
  readonly typeInstance: string;
  readonly ds: string;
  readonly value: CollectdValue;
}

/** A LIBVIRT-MIB column fed by a row (snmp.md §2). `KiB→MiB` truncates, as libvirt-snmp does. */
export interface SnmpMapping {
  readonly object: string;
  readonly oid: string;
  readonly syntax: 'Counter64' | 'Gauge32' | 'Unsigned32';
  readonly value: 'native' | 'KiB→MiB';
}

/** One catalog row. */
export interface MetricDef {
  /** Prometheus family name. */
  readonly name: string;
  readonly type: MetricType;
  /** HELP text: what it is, the unit, and where it comes from. */
  readonly help: string;
  /** Exported unit as metrics.md writes it (`B`, `s`, `1`, `code`, `0/1`, `count`, `unix s`, `%`). */
  readonly unit: string;
  readonly labels: LabelKind;
  /** Every label name in exposition order (includes `domain`, `target_device`, `vcpu` for those kinds). */
  readonly labelNames: readonly string[];
  readonly sourceKind: SourceKind;
  /** Source as metrics.md writes it: a field pattern (`block.N.rd.bytes`), a flag, or a short description. */
  readonly source: string;
  readonly conversion: Conversion;
  readonly domains: DomainScope;
  readonly defaultEnabled: boolean;
  readonly feed: Feed;
  readonly group: MetricGroup;
  /** For `compat` rows: the alias sets that enable it. */
  readonly compat?: readonly CompatSet[];
  /** Value used when the field is absent: `definition.memory` = `<memory>` KiB (balloon.maximum's source). */
  readonly fallback?: 'definition.memory';
  /** Bucket boundaries (seconds) for histograms. */
  readonly buckets?: readonly number[];
  /** A short remark for the docs (peer deviation, type kept for parity). */
  readonly note?: string;
  readonly otel?: OtelMapping;
  readonly collectd?: CollectdMapping;
  readonly snmp?: SnmpMapping;
}

/** Prometheus `# TYPE` for a row: info metrics are gauges (inovex parity). */
export function promType(def: MetricDef): 'gauge' | 'counter' | 'histogram' {
  return def.type === 'info' ? 'gauge' : def.type;
}
