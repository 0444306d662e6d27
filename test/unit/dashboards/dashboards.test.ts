/**
 * The Grafana dashboards under dashboards/: generated files up to date, importable JSON (inputs, uids,
 * datasource refs, variables, layout), every query on catalog metrics only, and inovex's panels present.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DASHBOARDS, renderDashboard } from '../../../scripts/dashboards/index.ts';
import { exportedNames, metricNames, parseLabelValues, unknownNames } from '../../../scripts/dashboards/promql-names.ts';

interface Target { datasource: { type: string; uid: string }; expr: string; refId: string }
interface Panel {
  id: number; type: string; title: string; datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number }; targets?: Target[];
}
interface Variable { name: string; type: string; datasource: { type: string; uid: string }; query: { query: string }; definition: string }
interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[]; uid: string; title: string; schemaVersion: number;
  panels: Panel[]; templating: { list: Variable[] };
}

const root = new URL('../../../', import.meta.url);
const loaded = DASHBOARDS.map(({ file, spec }) => ({
  file, spec, text: readFileSync(new URL(file, root), 'utf8'),
  json: JSON.parse(readFileSync(new URL(file, root), 'utf8')) as Dashboard,
}));
const DS = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };

test('metricNames reads names and skips functions, keywords, labels, strings and ranges', () => {
  assert.deepEqual(metricNames('min(libvirt_up{instance=~"$host"})'), ['libvirt_up']);
  assert.deepEqual(
    metricNames('sum by (domain) (rate(a_total{x="y(z)"}[$__rate_interval] offset 5m)) / on(domain) group_left(project_name) b_info * 1e-9 > bool 0.5'),
    ['a_total', 'b_info'],
  );
  assert.deepEqual(metricNames('histogram_quantile(0.99, sum by (le) (rate(h_bucket[1m]))) or vector(0)'), ['h_bucket']);
  assert.deepEqual(unknownNames('rate(libvirt_domain_info_cpu_time_seconds[1m])'), ['libvirt_domain_info_cpu_time_seconds']);
  assert.deepEqual(parseLabelValues('label_values(libvirt_domain_info{instance="$host"}, domain)'), { selector: 'libvirt_domain_info{instance="$host"}', label: 'domain' });
});

test('generated files are up to date (node --import tsx scripts/gen-dashboards.ts)', () => {
  for (const d of loaded) assert.equal(d.text, renderDashboard(d.spec), `${d.file} is stale`);
});

test('dashboards are importable: one DS_PROMETHEUS input, stable unique uids, pinned schemaVersion', () => {
  assert.deepEqual(loaded.map((d) => d.json.uid), ['virtmon-overview', 'virtmon-domain']);
  for (const { json, file } of loaded) {
    assert.deepEqual(json.__inputs.map((i) => [i.name, i.type, i.pluginId]), [['DS_PROMETHEUS', 'datasource', 'prometheus']], file);
    assert.equal(json.schemaVersion, 39, file);
    assert.ok(json.title.startsWith('virtmon / '), file);
  }
});

test('every panel, target and variable uses the DS_PROMETHEUS datasource; ids unique; grid within 24 columns without overlap', () => {
  for (const { json, file } of loaded) {
    const ids = new Set<number>();
    const cells = new Set<string>();
    for (const p of json.panels) {
      assert.ok(!ids.has(p.id), `${file}: duplicate panel id ${p.id}`);
      ids.add(p.id);
      assert.ok(p.gridPos.x >= 0 && p.gridPos.x + p.gridPos.w <= 24, `${file}: ${p.title} outside the grid`);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          assert.ok(!cells.has(`${x},${y}`), `${file}: ${p.title} overlaps another panel at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
      }
      if (p.type === 'row') continue;
      assert.deepEqual(p.datasource, DS, `${file}: ${p.title}`);
      assert.ok((p.targets ?? []).length > 0, `${file}: ${p.title} has no query`);
      for (const t of p.targets ?? []) assert.deepEqual(t.datasource, DS, `${file}: ${p.title} ${t.refId}`);
    }
    for (const v of json.templating.list) {
      assert.deepEqual(v.datasource, DS, `${file}: variable ${v.name}`);
      assert.equal(v.query.query, v.definition, `${file}: variable ${v.name}`);
    }
  }
});

test('every query reads only metrics of the catalog, and every $variable is defined', () => {
  const known = exportedNames();
  for (const { json, file } of loaded) {
    const defined = new Set(['__rate_interval', '__interval', '__range', ...json.templating.list.map((v) => v.name)]);
    const exprs: [string, string][] = [];
    for (const v of json.templating.list) {
      const lv = parseLabelValues(v.query.query);
      assert.ok(lv !== undefined, `${file}: variable ${v.name} is not a label_values() query`);
      const [name] = metricNames(lv.selector);
      assert.ok(name !== undefined && known.get(name)?.includes(lv.label), `${file}: ${v.name}: ${name ?? '?'} has no label ${lv.label}`);
      exprs.push([`variable ${v.name}`, lv.selector]);
    }
    for (const p of json.panels) for (const t of p.targets ?? []) exprs.push([`${p.title} ${t.refId}`, t.expr]);
    for (const [where, expr] of exprs) {
      assert.ok(metricNames(expr).length > 0, `${file}: ${where} reads no metric`);
      assert.deepEqual(unknownNames(expr), [], `${file}: ${where}: ${expr}`);
      for (const m of expr.matchAll(/\$(\w+)/g)) assert.ok(defined.has(m[1] ?? ''), `${file}: ${where} uses undefined $${m[1]}`);
    }
  }
});

test('the drilldown reads every metric inovex\'s dashboard reads, and the overview covers health and actions', () => {
  const names = (i: number): Set<string> => new Set((loaded[i]?.json.panels ?? []).flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr))));
  const domain = names(1);
  const inovex = [
    'libvirt_domain_info_state', 'libvirt_domain_vcpu_current', 'libvirt_domain_memory_stats_maximum_bytes', 'libvirt_domain_block_stats_info',
    'libvirt_domain_interface_stats_info', 'libvirt_domain_info_cpu_time_seconds_total', 'libvirt_domain_vcpu_delay_seconds_total',
    'libvirt_domain_memory_stats_used_percent', 'libvirt_domain_memory_stats_swap_in_bytes', 'libvirt_domain_memory_stats_swap_out_bytes',
    'libvirt_domain_block_stats_read_requests_total', 'libvirt_domain_block_stats_write_requests_total', 'libvirt_domain_block_stats_read_bytes_total',
    'libvirt_domain_block_stats_write_bytes_total', 'libvirt_domain_block_stats_read_time_seconds_total', 'libvirt_domain_block_stats_write_time_seconds_total',
    'libvirt_domain_interface_stats_receive_bytes_total', 'libvirt_domain_interface_stats_transmit_bytes_total', 'libvirt_domain_interface_stats_receive_packets_total',
    'libvirt_domain_interface_stats_transmit_packets_total', 'libvirt_domain_interface_stats_receive_errors_total', 'libvirt_domain_interface_stats_transmit_errors_total',
    'libvirt_domain_interface_stats_receive_drops_total', 'libvirt_domain_interface_stats_transmit_drops_total',
  ];
  for (const n of inovex) assert.ok(domain.has(n), `drilldown lacks ${n}`);
  const overview = names(0);
  for (const n of ['virtmon_collector_success', 'virtmon_collector_duration_seconds', 'virtmon_remediation_actions_total', 'libvirt_domain_info_state', 'libvirt_up']) {
    assert.ok(overview.has(n), `overview lacks ${n}`);
  }
});
