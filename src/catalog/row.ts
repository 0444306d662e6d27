/**
 * The row builder the catalog tables use: it fills what follows from the source pattern (source kind,
 * label kind and names) so each table row states only what metrics.md states.
 */
import type {
  CollectdMapping, CompatSet, Conversion, DomainScope, Feed, LabelKind, MetricDef, MetricGroup, MetricType,
  OtelMapping, SnmpMapping, SourceKind,
} from './types.ts';

/** What a table row writes; everything else is inferred by {@link row}. */
export interface RowInput {
  readonly name: string;
  readonly type: MetricType;
  readonly unit: string;
  readonly source: string;
  readonly conversion: Conversion;
  readonly feed: Feed;
  readonly group: MetricGroup;
  readonly help: string;
  readonly sourceKind?: SourceKind;
  readonly labels?: LabelKind;
  readonly labelNames?: readonly string[];
  /** Default: `active` for domain metrics, `host` for agent and pool metrics. */
  readonly domains?: DomainScope;
  /** Default: true, false for compat rows. */
  readonly defaultEnabled?: boolean;
  readonly compat?: readonly CompatSet[];
  readonly fallback?: 'definition.memory';
  readonly buckets?: readonly number[];
  readonly note?: string;
  readonly otel?: OtelMapping;
  readonly collectd?: CollectdMapping;
  readonly snmp?: SnmpMapping;
}

/** Source kind from a source pattern (`block.N.rd.bytes` → device). */
export function inferSourceKind(source: string): SourceKind {
  if (source.startsWith('block.N.') || source.startsWith('net.N.')) return 'device';
  if (source.startsWith('vcpu.N.')) return 'vcpu';
  if (source.startsWith('pool.')) return 'pool';
  return 'field';
}

const LABEL_NAMES: Record<Exclude<LabelKind, 'custom'>, readonly string[]> = {
  'none': [],
  'domain': ['domain'],
  'domain+target_device': ['domain', 'target_device'],
  'domain+vcpu': ['domain', 'vcpu'],
  'storage_pool': ['storage_pool'],
};

/** Builds a complete {@link MetricDef} from a table row. */
export function row(r: RowInput): MetricDef {
  const sourceKind = r.sourceKind ?? inferSourceKind(r.source);
  const labels: LabelKind = r.labels
    ?? (sourceKind === 'device' ? 'domain+target_device'
      : sourceKind === 'vcpu' ? 'domain+vcpu'
        : sourceKind === 'pool' ? 'storage_pool'
          : sourceKind === 'agent' ? 'none'
            : 'domain');
  const labelNames = labels === 'custom' ? (r.labelNames ?? []) : LABEL_NAMES[labels];
  const domains: DomainScope = r.domains
    ?? (sourceKind === 'agent' || sourceKind === 'pool' ? 'host' : 'active');
  const def: MetricDef = {
    name: r.name,
    type: r.type,
    help: r.help,
    unit: r.unit,
    labels,
    labelNames,
    sourceKind,
    source: r.source,
    conversion: r.conversion,
    domains,
    defaultEnabled: r.defaultEnabled ?? r.group !== 'compat',
    feed: r.feed,
    group: r.group,
    ...(r.compat === undefined ? {} : { compat: r.compat }),
    ...(r.fallback === undefined ? {} : { fallback: r.fallback }),
    ...(r.buckets === undefined ? {} : { buckets: r.buckets }),
    ...(r.note === undefined ? {} : { note: r.note }),
    ...(r.otel === undefined ? {} : { otel: r.otel }),
    ...(r.collectd === undefined ? {} : { collectd: r.collectd }),
    ...(r.snmp === undefined ? {} : { snmp: r.snmp }),
  };
  return Object.freeze(def);
}

/** Shorthand for an OTel mapping. */
export function otel(
  name: string, instrument: OtelMapping['instrument'], unit: string,
  extra: Omit<OtelMapping, 'name' | 'instrument' | 'unit'> = {},
): OtelMapping {
  return { name, instrument, unit, ...extra };
}

/** Shorthand for a collectd mapping. */
export function collectd(type: string, typeInstance: string, ds: string, value: CollectdMapping['value'] = 'native'): CollectdMapping {
  return { type, typeInstance, ds, value };
}
