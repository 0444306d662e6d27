/**
 * Runs the shipped dashboards' queries against a real Prometheus the way Grafana would: variable queries
 * through the series API (label_values), range panels through query_range, instant panels through query,
 * with `$__rate_interval`, `$__interval`, `$__range` and the template variables substituted.
 */
import { dashboardQueries, substitute, type DashboardQuery } from './dashboard-queries.ts';

/** What one query returned. */
export interface QueryOutcome {
  readonly query: DashboardQuery;
  /** The PromQL sent (after substitution). */
  readonly sent: string;
  /** Series (panels) or distinct label values (variables) returned. */
  readonly count: number;
  /** For variables: the values. */
  readonly values?: readonly string[];
  readonly error?: string;
}

/** A minimal Prometheus HTTP API client (GET, JSON, `status: success` checked). */
export class PromApi {
  readonly url: string;
  constructor(url: string) { this.url = url; }

  async get<T>(path: string, params: Readonly<Record<string, string>>): Promise<T> {
    const res = await fetch(`${this.url}${path}?${new URLSearchParams(params).toString()}`);
    const body = await res.json() as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? String(res.status)}`);
    return body.data;
  }

  /** Distinct values of `label` over the series matching `selector` (Grafana's label_values). */
  async labelValues(selector: string, label: string, windowSeconds: number): Promise<string[]> {
    const end = Date.now() / 1000;
    const series = await this.get<Record<string, string>[]>('/api/v1/series', { 'match[]': selector, start: String(end - windowSeconds), end: String(end) });
    return [...new Set(series.flatMap((s) => (s[label] === undefined ? [] : [s[label]])))].sort();
  }

  /** Series count of an instant query. */
  async instant(expr: string): Promise<number> {
    return (await this.get<{ result: unknown[] }>('/api/v1/query', { query: expr })).result.length;
  }

  /** Series count of a range query over the last `windowSeconds`. */
  async range(expr: string, windowSeconds: number, stepSeconds: number): Promise<number> {
    const end = Date.now() / 1000;
    const data = await this.get<{ result: unknown[] }>('/api/v1/query_range', {
      query: expr, start: String(end - windowSeconds), end: String(end), step: String(stepSeconds),
    });
    return data.result.length;
  }
}

/** Options of {@link runQueries}. */
export interface RunOptions {
  readonly scrapeSeconds: number;
  /** Time window of range queries and `$__range` (default 60 s). */
  readonly windowSeconds?: number;
}

/** Runs `queries` with `vars` substituted; never throws for one query (its error is in the outcome). */
export async function runQueries(api: PromApi, queries: readonly DashboardQuery[], vars: Readonly<Record<string, string>>, options: RunOptions): Promise<QueryOutcome[]> {
  const window = options.windowSeconds ?? 60;
  const out: QueryOutcome[] = [];
  for (const query of queries) {
    const sent = substitute(query.expr, vars, options.scrapeSeconds, window);
    try {
      if (query.kind === 'variable') {
        const values = await api.labelValues(sent, query.label ?? '', window);
        out.push({ query, sent, count: values.length, values });
      } else if (query.kind === 'instant') {
        out.push({ query, sent, count: await api.instant(sent) });
      } else {
        out.push({ query, sent, count: await api.range(sent, window, options.scrapeSeconds) });
      }
    } catch (err) {
      out.push({ query, sent, count: 0, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** The queries of one shipped dashboard (by uid), read from the committed JSON. */
export function queriesOf(root: URL, uid: string): DashboardQuery[] {
  return dashboardQueries(root).filter((q) => q.dashboard === uid);
}

/** Readable lines for the outcomes that returned nothing (for assertion messages). */
export function empties(outcomes: readonly QueryOutcome[]): string[] {
  return outcomes.filter((o) => o.count === 0).map((o) => `${o.query.dashboard} / ${o.query.where}: ${o.error ?? 'no data'}\n    ${o.sent}`);
}
