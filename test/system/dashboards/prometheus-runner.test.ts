/**
 * The fault cases of the live dashboard test's query runner on a real Prometheus (Debian 2.42): a query
 * with no series and a query Prometheus rejects are reported as such, never counted as data. (The
 * runner's success paths — label_values variables, range and instant queries with $__rate_interval and
 * variables substituted, the rule file evaluated — are exercised on live agents by dashboards-live.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { empties, PromApi, runQueries } from '../../helpers/dashboard-live.ts';
import type { DashboardQuery } from '../../helpers/dashboard-queries.ts';
import { startPrometheusProcess, type PrometheusProcess } from '../../helpers/prometheus-process.ts';

let prom: PrometheusProcess | undefined;
let api: PromApi;

before(async () => {
  prom = await startPrometheusProcess({ targets: [] });
  api = new PromApi(prom.url);
});

after(async () => { await prom?.stop(); });

const q = (kind: DashboardQuery['kind'], expr: string, label?: string): DashboardQuery =>
  ({ dashboard: 'self', where: expr, kind, expr, ...(label === undefined ? {} : { label }) });

test('a query with no series, a variable with no values and a query Prometheus rejects are reported, not hidden', async () => {
  const outcomes = await runQueries(api, [
    q('range', 'up{instance="nowhere:1"}'), q('instant', 'rate(up['), q('variable', 'up{instance="nowhere:1"}', 'instance'),
  ], {}, { scrapeSeconds: 1 });
  const lines = empties(outcomes);
  assert.equal(lines.length, 3);
  assert.match(lines[0] ?? '', /no data/);
  assert.match(lines[1] ?? '', /parse error/);
  assert.match(lines[2] ?? '', /no data/);
  assert.deepEqual(outcomes[2]?.values, []);
});

test('an unknown template variable stops the run, it is not sent as an empty string', async () => {
  await assert.rejects(runQueries(api, [q('instant', 'up{instance="$nohost"}')], {}, { scrapeSeconds: 1 }), /no value for \$nohost/);
});
