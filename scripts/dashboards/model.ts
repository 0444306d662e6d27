/**
 * A small Grafana dashboard model (schemaVersion 39): typed builders for panels, rows, targets and
 * query variables, and the automatic grid layout, so the two dashboards read as lists of panels.
 */

/** The datasource every panel, target and variable uses: the import-time input DS_PROMETHEUS. */
export const DATASOURCE = { type: 'prometheus', uid: '${DS_PROMETHEUS}' } as const;

/** Pinned Grafana dashboard schema version (Grafana 10.4 / 11.0). */
export const SCHEMA_VERSION = 39;

/** One PromQL query of a panel. */
export interface Target {
  readonly expr: string;
  readonly legendFormat: string;
  /** Instant query (tables, stats that show the current value). */
  readonly instant?: boolean;
}

/** A panel before layout. */
export interface PanelSpec {
  readonly type: 'timeseries' | 'stat' | 'table' | 'bargauge' | 'piechart';
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  /** Width in grid columns (24 = full width) and height in rows. */
  readonly w: number;
  readonly h: number;
  readonly min?: number;
  readonly max?: number;
  /** Value → text/colour mappings (state codes). */
  readonly mappings?: Readonly<Record<string, { readonly text: string; readonly color: string }>>;
  /** Threshold steps after the green base: [value, colour]. */
  readonly thresholds?: readonly (readonly [number, string])[];
  readonly links?: readonly { readonly title: string; readonly url: string }[];
  readonly stack?: boolean;
}

/** A titled group of panels. */
export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/** A Grafana query variable. */
export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  readonly query: string;
  readonly multi: boolean;
}

/** Shorthand for a range target. */
export function q(expr: string, legendFormat = ''): Target {
  return { expr, legendFormat };
}

/** Shorthand for an instant target. */
export function qi(expr: string, legendFormat = ''): Target {
  return { expr, legendFormat, instant: true };
}

type Json = Record<string, unknown>;

function panelJson(p: PanelSpec, id: number, x: number, y: number): Json {
  const steps = [{ color: 'green', value: null }, ...(p.thresholds ?? []).map(([value, color]) => ({ color, value }))];
  const defaults: Json = { unit: p.unit, thresholds: { mode: 'absolute', steps } };
  if (p.min !== undefined) defaults.min = p.min;
  if (p.max !== undefined) defaults.max = p.max;
  if (p.mappings !== undefined) {
    defaults.mappings = [{ type: 'value', options: Object.fromEntries(Object.entries(p.mappings).map(([k, v], index) => [k, { ...v, index }])) }];
  }
  if (p.links !== undefined) defaults.links = p.links.map((l) => ({ ...l, targetBlank: false }));
  if (p.type === 'timeseries') {
    defaults.custom = {
      drawStyle: 'line', lineWidth: 1, fillOpacity: p.stack === true ? 30 : 10, showPoints: 'never', spanNulls: false,
      stacking: { mode: p.stack === true ? 'normal' : 'none', group: 'A' },
      thresholdsStyle: { mode: p.thresholds === undefined ? 'off' : 'line' },
    };
  }
  const options: Json = p.type === 'timeseries'
    ? { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } }
    : p.type === 'table'
      ? { showHeader: true, cellHeight: 'sm' }
      : { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: 'auto', textMode: 'auto', colorMode: 'value', graphMode: 'none' };
  return {
    id, type: p.type, title: p.title, description: p.description, datasource: DATASOURCE,
    gridPos: { h: p.h, w: p.w, x, y },
    fieldConfig: { defaults, overrides: [] },
    options,
    targets: p.targets.map((t, i) => ({
      datasource: DATASOURCE, refId: String.fromCharCode(65 + i), expr: t.expr, legendFormat: t.legendFormat,
      range: t.instant !== true, instant: t.instant === true, editorMode: 'code',
      ...(t.instant === true && p.type === 'table' ? { format: 'table' } : {}),
    })),
    ...(p.type === 'table' ? { transformations: [{ id: 'organize', options: { excludeByName: { Time: true, __name__: true, job: true } } }] } : {}),
  };
}

/** Lays rows and panels out left to right, wrapping at 24 columns, and numbers panel ids from 1. */
export function layout(rows: readonly RowSpec[]): Json[] {
  const out: Json[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    out.push({ id: id++, type: 'row', title: row.title, collapsed: false, panels: [], gridPos: { h: 1, w: 24, x: 0, y } });
    y += 1;
    let x = 0;
    let rowH = 0;
    for (const p of row.panels) {
      if (p.w > 24 || p.w < 1) throw new RangeError(`panel ${p.title}: width ${p.w} is outside 1..24`);
      if (x + p.w > 24) { y += rowH; x = 0; rowH = 0; }
      out.push(panelJson(p, id++, x, y));
      x += p.w;
      rowH = Math.max(rowH, p.h);
    }
    y += rowH;
  }
  return out;
}

/** A query variable on the Prometheus datasource, refreshed when the time range changes. */
export function variableJson(v: VariableSpec): Json {
  return {
    name: v.name, label: v.label, type: 'query', datasource: DATASOURCE,
    query: { query: v.query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    definition: v.query, refresh: 2, sort: 1, regex: '', hide: 0,
    multi: v.multi, includeAll: v.multi, ...(v.multi ? { allValue: '.*' } : {}),
    current: {}, options: [],
  };
}

/** Everything a dashboard needs besides its panels and variables. */
export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly VariableSpec[];
  readonly rows: readonly RowSpec[];
  readonly links: readonly Json[];
}

/** The importable dashboard JSON: `__inputs` asks for the Prometheus datasource on import. */
export function dashboardJson(d: DashboardSpec): Json {
  return {
    __inputs: [{
      name: 'DS_PROMETHEUS', label: 'Prometheus', description: 'Prometheus that scrapes the virtmon agents',
      type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus',
    }],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.4.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
      { type: 'panel', id: 'stat', name: 'Stat', version: '' },
      { type: 'panel', id: 'table', name: 'Table', version: '' },
      { type: 'panel', id: 'bargauge', name: 'Bar gauge', version: '' },
      { type: 'panel', id: 'piechart', name: 'Pie chart', version: '' },
    ],
    uid: d.uid, title: d.title, description: d.description,
    tags: ['virtmon', 'libvirt', 'kvm'], timezone: 'browser', editable: true, graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION, version: 1, refresh: '30s', time: { from: 'now-1h', to: 'now' },
    annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
    links: d.links,
    templating: { list: d.variables.map(variableJson) },
    panels: layout(d.rows),
  };
}
