/** The dashboards virtmon ships, where each is written, and the rendering with its catalog check. */
import { DOMAIN } from './domain.ts';
import type { DashboardSpec } from './model.ts';
import { dashboardJson } from './model.ts';
import { OVERVIEW } from './overview.ts';
import { parseLabelValues, unknownNames } from './promql-names.ts';

/** Every shipped dashboard and its path relative to the repository root. */
export const DASHBOARDS: readonly { readonly file: string; readonly spec: DashboardSpec }[] = [
  { file: 'dashboards/virtmon-overview.json', spec: OVERVIEW },
  { file: 'dashboards/virtmon-domain.json', spec: DOMAIN },
];

/** Every PromQL expression of a spec (panel targets and the selectors of label_values variables). */
export function specExpressions(spec: DashboardSpec): string[] {
  const out: string[] = [];
  for (const v of spec.variables) out.push(parseLabelValues(v.query)?.selector ?? v.query);
  for (const row of spec.rows) for (const p of row.panels) for (const t of p.targets) out.push(t.expr);
  return out;
}

/** The dashboard as pretty JSON with a final newline; throws a TypeError naming the panel of an unknown metric. */
export function renderDashboard(spec: DashboardSpec): string {
  for (const expr of specExpressions(spec)) {
    const bad = unknownNames(expr);
    if (bad.length > 0) throw new TypeError(`${spec.uid}: ${bad.join(', ')} not in the metric catalog: ${expr}`);
  }
  return `${JSON.stringify(dashboardJson(spec), null, 2)}\n`;
}
