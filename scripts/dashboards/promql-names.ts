/**
 * Which metric names a PromQL expression reads, so dashboards and rule files can be checked against the
 * metric catalog without a PromQL parser: strings, label matchers, ranges and label lists are cut out,
 * then every identifier that is not a function call or a keyword is a metric name.
 */
import { CATALOG } from '../../src/catalog/metrics.ts';

const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset',
  'atan2', 'inf', 'nan', 'Inf', 'NaN',
]);

/** Metric names read by `expr` (in order of appearance, without duplicates). */
export function metricNames(expr: string): string[] {
  const cut = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const m of cut.matchAll(/(?<![\w.$:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    const name = m[1] ?? '';
    if (KEYWORDS.has(name) || names.includes(name)) continue;
    names.push(name);
  }
  return names;
}

/** The `(metric selector, label)` of a Grafana `label_values(…)` variable query, or undefined. */
export function parseLabelValues(query: string): { readonly selector: string; readonly label: string } | undefined {
  const m = /^label_values\(\s*(.+?)\s*,\s*([a-zA-Z_]\w*)\s*\)$/.exec(query.trim());
  return m === null ? undefined : { selector: m[1] ?? '', label: m[2] ?? '' };
}

/** Series names the exporter writes for each catalog row (histograms as `_bucket`, `_sum`, `_count`). */
export function exportedNames(): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const def of CATALOG) {
    const labels = [...def.labelNames, 'instance', 'job'];
    if (def.type === 'histogram') {
      out.set(`${def.name}_bucket`, [...labels, 'le']);
      out.set(`${def.name}_sum`, labels);
      out.set(`${def.name}_count`, labels);
    } else {
      out.set(def.name, labels);
    }
  }
  return out;
}

/**
 * Problems with one expression: names that are neither exported by the catalog nor in `extra`
 * (recording-rule names), as readable strings. Empty when the expression is fine.
 */
export function unknownNames(expr: string, extra: ReadonlySet<string> = new Set()): string[] {
  const known = exportedNames();
  return metricNames(expr).filter((n) => !known.has(n) && !extra.has(n));
}
