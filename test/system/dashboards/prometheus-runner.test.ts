/**
 * The machinery of the live dashboard test on a real Prometheus (Debian 2.42) that scrapes itself every
 * second: label_values variables, range and instant queries with $__rate_interval and variables substituted,
 * an empty query reported as such; and alerts/virtmon.rules.yml loaded and evaluated without error.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { empties, PromApi, runQueries } from '../../helpers/dashboard-live.ts';
import type { DashboardQuery } from '../../helpers/dashboard-queries.ts';
import { startPrometheusProcess, type PrometheusProcess } from '../../helpers/prometheus-process.ts';
import { pollUntil } from '../../helpers/qemu.ts';

const RULES = fileURLToPath(new URL('../../../alerts/virtmon.rules.yml', import.meta.url));
let prom: PrometheusProcess | undefined;
let api: PromApi;

before(async () => {
  prom = await startPrometheusProcess({ targets: [], self: true, ruleFiles: [RULES] });
  api = new PromApi(prom.url);
  // Two scrape intervals of data, so rate() over $__rate_interval has samples.
  await pollUntil('two scrapes of Prometheus itself', 30_000, async () => ((await api.instant('count_over_time(up[1m]) >= 3')) > 0 ? true : undefined), 500);
});

after(async () => { await prom?.stop(); });

const q = (kind: DashboardQuery['kind'], expr: string, label?: string): DashboardQuery =>
  ({ dashboard: 'self', where: expr, kind, expr, ...(label === undefined ? {} : { label }) });

test('variables, range and instant queries return data with macros and variables substituted', async () => {
  const [variable] = await runQueries(api, [q('variable', 'up', 'instance')], {}, { scrapeSeconds: 1 });
  assert.deepEqual(variable?.values, [prom?.address]);
  const host = variable?.values?.[0] ?? '';
  const outcomes = await runQueries(api, [
    q('range', 'sum by (instance) (rate(prometheus_http_requests_total{instance="$host"}[$__rate_interval]))'),
    q('instant', 'sum(up{instance=~"$host"})'),
    q('instant', 'sum(increase(prometheus_tsdb_head_samples_appended_total{instance=~"$host"}[$__range])) or vector(0)'),
    q('range', 'max_over_time(up{instance="$host"}[$__interval])'),
  ], { host }, { scrapeSeconds: 1 });
  assert.deepEqual(empties(outcomes), []);
  assert.ok(outcomes.every((o) => !o.sent.includes('$')), 'everything substituted');
});

test('a query with no series and a query Prometheus rejects are reported, not hidden', async () => {
  const outcomes = await runQueries(api, [q('range', 'up{instance="nowhere:1"}'), q('instant', 'rate(up[')], {}, { scrapeSeconds: 1 });
  const lines = empties(outcomes);
  assert.equal(lines.length, 2);
  assert.match(lines[0] ?? '', /no data/);
  assert.match(lines[1] ?? '', /parse error/);
});

test('alerts/virtmon.rules.yml loads into a running Prometheus and every rule evaluates without error', async () => {
  interface Rules { groups: { name: string; rules: { name: string; health: string; lastError?: string; type: string }[] }[] }
  const rules = await pollUntil('every rule evaluated once', 30_000, async () => {
    const data = await api.get<Rules>('/api/v1/rules', {});
    const all = data.groups.flatMap((g) => g.rules);
    return all.length > 0 && all.every((r) => r.health !== 'unknown') ? all : undefined;
  }, 500);
  assert.ok(rules.length >= 20);
  assert.deepEqual(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError ?? r.health}`), []);
});
