/** Turns Grafana dashboard queries into PromQL Prometheus accepts: variables and interval macros substituted. */
import { readFileSync } from 'node:fs';
import { DASHBOARDS } from '../../scripts/dashboards/index.ts';

/** One query of a shipped dashboard, as Grafana would send it. */
export interface DashboardQuery {
  readonly dashboard: string;
  readonly where: string;
  /** `range` panel query, `instant` panel query, or a `label_values(selector, label)` variable. */
  readonly kind: 'range' | 'instant' | 'variable';
  readonly expr: string;
  /** For variables: the label whose values the variable lists. */
  readonly label?: string;
}

/**
 * Substitutes `$var`/`${var}` from `vars`, and Grafana's `$__rate_interval` (4 × scrape interval, at
 * least 1 m in Grafana; here 4 × scrape so a short test sees data), `$__interval` and `$__range`.
 */
export function substitute(expr: string, vars: Readonly<Record<string, string>>, scrapeSeconds: number, rangeSeconds = 300): string {
  const macros: Record<string, string> = {
    __rate_interval: `${4 * scrapeSeconds}s`,
    __interval: `${scrapeSeconds}s`,
    __range: `${rangeSeconds}s`,
    ...vars,
  };
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
    const name = a ?? b ?? '';
    const v = macros[name];
    if (v === undefined) throw new TypeError(`no value for $${name} in ${expr}`);
    return v;
  });
}

interface PanelJson { type: string; title: string; targets?: { refId: string; expr: string; instant?: boolean }[] }
interface DashboardJson { uid: string; panels: PanelJson[]; templating: { list: { name: string; query: { query: string } }[] } }

/** Every query of every shipped dashboard, read from the committed JSON files under `root`. */
export function dashboardQueries(root: URL): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const { file } of DASHBOARDS) {
    const json = JSON.parse(readFileSync(new URL(file, root), 'utf8')) as DashboardJson;
    for (const v of json.templating.list) {
      const m = /^label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)$/.exec(v.query.query);
      if (m === null) throw new TypeError(`${json.uid}: variable ${v.name} is not label_values()`);
      out.push({ dashboard: json.uid, where: `variable ${v.name}`, kind: 'variable', expr: m[1] ?? '', label: m[2] ?? '' });
    }
    for (const p of json.panels) {
      for (const t of p.targets ?? []) {
        out.push({ dashboard: json.uid, where: `${p.title} ${t.refId}`, kind: t.instant === true ? 'instant' : 'range', expr: t.expr });
      }
    }
  }
  return out;
}
