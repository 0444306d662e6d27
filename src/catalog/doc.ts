/**
 * Renders docs/metrics.md from the catalog (style.md habit 7). scripts/gen-metrics-doc.ts writes it; a unit
 * test fails when the file and this rendering differ, so the reference can never drift from the code.
 */
import { collectdValueLists, otelInstruments } from './crosswalk.ts';
import { CATALOG, COLLECTD_DERIVED, COLLECTD_TYPES, METADATA_INFO } from './metrics.ts';
import type { MetricDef, MetricGroup } from './types.ts';
import { promType } from './types.ts';

/** Where the generated reference lives, relative to the repository root. */
export const METRICS_DOC_PATH = 'docs/metrics.md';

/** A table cell: pipes escaped, and `<` outside code spans written as `&lt;` so `<disk>` is not read as HTML. */
const cell = (s: string): string => s
  .split('`')
  .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;') : part))
  .join('`')
  .replace(/\|/g, '\\|')
  .replace(/\n/g, ' ');
const code = (s: string): string => (s === '' ? '–' : `\`${s}\``);
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

function labels(m: MetricDef): string {
  if (m.name === METADATA_INFO) return 'domain + metrics.metadataLabels';
  return m.labelNames.length === 0 ? '–' : m.labelNames.join(', ');
}

function domains(m: MetricDef): string {
  return m.domains === 'host' ? '–' : m.domains === 'all' ? 'active + inactive' : 'active';
}

function defaultOf(m: MetricDef): string {
  if (m.group === 'compat') return `off (${(m.compat ?? []).join(', ')})`;
  if (m.name === METADATA_INFO) return 'when configured';
  return 'on';
}

function typeOf(m: MetricDef): string {
  const t = m.type === 'info' ? 'gauge (info, 1)' : promType(m);
  return m.note?.startsWith('gauge kept') === true ? `${t} (sic)` : t;
}

function promTable(group: MetricGroup): string {
  const rows = CATALOG.filter((m) => m.group === group).map((m) => [
    code(m.name), typeOf(m), labels(m), m.unit, m.sourceKind === 'agent' ? m.source : code(m.source),
    m.conversion === 'none' ? '–' : m.conversion, domains(m), defaultOf(m), m.feed,
    m.note === undefined || m.note.startsWith('gauge kept') ? m.help : `${m.help} *Note: ${m.note}.*`,
  ]);
  return table(['Metric', 'Type', 'Labels', 'Unit', 'Source', 'Conv.', 'Domains', 'Default', 'Fed by', 'Help'], rows);
}

function selfTable(): string {
  const rows = CATALOG.filter((m) => m.group === 'self').map((m) => [
    code(m.name), typeOf(m), labels(m), m.unit, m.help,
  ]);
  return table(['Metric', 'Type', 'Labels', 'Unit', 'Help'], rows);
}

function otelTable(): string {
  const rows = otelInstruments().map((o) => {
    const attrs = new Set<string>();
    for (const m of o.rows) {
      for (const a of Object.values(m.otel?.labelAttributes ?? {})) attrs.add(a);
      for (const [k, v] of Object.entries(m.otel?.attributes ?? {})) attrs.add(`${k}=${v}`);
    }
    const from = o.rows.map((m) => `${code(m.name)}${m.otel?.scale === undefined ? '' : ` × ${m.otel.scale}`}`);
    return [code(o.name), o.instrument, o.unit, [...attrs].join(', ') || '–', from.join(', ')];
  });
  return table(['OTel metric', 'Instrument', 'Unit', 'Attributes (besides libvirt.domain.name, .uuid)', 'From'], rows);
}

function collectdTable(): string {
  const rows = collectdValueLists().map((l) => {
    const ds = l.sources.map((s) => `${s.ds} ${s.dsType}`).join(', ');
    const src = l.sources.filter((s) => s.row !== undefined).map((s) => {
      const c = s.row?.collectd;
      return `${s.ds}: ${code(s.row?.source ?? '')}${c === undefined || c.value === 'native' ? '' : ` (${c.value})`}`;
    });
    return [code(l.type), l.typeInstance === '' ? '–' : code(l.typeInstance), ds, src.join(', ')];
  });
  for (const d of COLLECTD_DERIVED) {
    rows.push([code(d.type), code(d.typeInstance), (COLLECTD_TYPES[d.type] ?? []).map(([n, k]) => `${n} ${k}`).join(', '),
      `${d.ds}: ${d.source}, ${d.value}`]);
  }
  return table(['type', 'type_instance', 'Data sources', 'Values (data source: field, conversion)'], rows);
}

function snmpTable(): string {
  const rows = CATALOG.filter((m) => m.snmp !== undefined).map((m) => [
    code(m.snmp?.object ?? ''), m.snmp?.oid ?? '', m.snmp?.syntax ?? '', code(m.source),
    m.snmp?.value === 'KiB→MiB' ? 'KiB → MiB (truncated)' : 'native, exact', code(m.name),
  ]);
  return table(['LIBVIRT-MIB object', 'OID', 'Syntax', 'Source', 'Value', 'Same value as'], rows);
}

/** The complete docs/metrics.md text. */
export function renderMetricsDoc(): string {
  const parts = [
    '# virtmon metrics',
    '',
    '<!-- Generated from src/catalog/ by `node --import tsx scripts/gen-metrics-doc.ts`. Do not edit by hand:',
    '     test/unit/catalog/docs-sync.test.ts fails when this file and the catalog differ. -->',
    '',
    'Every output is derived from one catalog (`src/catalog/`): Prometheus names below, the OpenTelemetry',
    'and collectd-style crosswalks, and the LIBVIRT-MIB columns. Domain metrics are a drop-in for',
    'prometheus-libvirt-exporter (inovex) v2.x: same names, labels, units and types. Values are sampled on',
    'the collection schedule (default every 10 s) and served from the latest snapshot; samples carry no',
    'timestamps.',
    '',
    'Conversions from the sample\'s native units: `id` as is · `ns→s` ÷ 1e9 · `KiB→B` × 1024 · `ms→s` ÷ 1e3 ·',
    '`code` enum integer as is. 64-bit counters stay exact until the final float. A value that cannot be',
    'computed is left out (the series is absent): never NaN, ±Inf or a placeholder zero.',
    '',
    'Labels: `domain` is the libvirt domain name; `target_device` is the disk\'s or interface\'s `<target dev>`',
    '(cdrom and floppy disks and interfaces without a target dev are skipped); `vcpu` is the decimal vCPU',
    'index. UUIDs, Nova names, paths, serials and MACs are only on the `_info` metrics; join them with',
    '`* on(domain) group_left(project_name) libvirt_domain_openstack_info`.',
    '',
    'Series per active domain with V vCPUs, D disks and I interfaces: 44 + 4V + 12D + 9I (aliases off);',
    'an inactive domain has 6, 7 with `libvirt_domain_metadata_info`.',
    '',
    '## Core set',
    '',
    promTable('core'),
    '',
    '## Info metrics',
    '',
    'Value 1; missing XML attributes are empty strings.',
    '',
    promTable('info'),
    '',
    '## Storage pools',
    '',
    promTable('storage_pool'),
    '',
    '## Jobs',
    '',
    'With no job running the type is 0 and the other values are 0, as libvirt reports `VIR_DOMAIN_JOB_NONE`.',
    '',
    promTable('job'),
    '',
    '## Extensions',
    '',
    promTable('extension'),
    '',
    '## Agent self-metrics',
    '',
    'prom-client\'s default process and Node.js metrics (`process_*`, `nodejs_*`) are registered as well.',
    '',
    selfTable(),
    '',
    '## Compatibility aliases',
    '',
    'Opt-in with `metrics.compat: [tinkoff, kumina, inovex1]`; a name in several enabled sets is emitted once.',
    '',
    promTable('compat'),
    '',
    '## OpenTelemetry (OTLP)',
    '',
    'Asynchronous instruments observed from the snapshot, cumulative temporality. Every domain data point',
    'carries `libvirt.domain.name` and `libvirt.domain.uuid`.',
    '',
    otelTable(),
    '',
    '## collectd-style output',
    '',
    'Identity as the collectd virt plugin: host = domain name, plugin = `virt`, `<dev>` = disk target,',
    '`<if>` = interface name, `<n>` = vCPU index. DERIVE values are integers.',
    '',
    collectdTable(),
    '',
    '## LIBVIRT-MIB (SNMP)',
    '',
    snmpTable(),
    '',
  ];
  return parts.join('\n');
}
