/**
 * `promtool check metrics` (Prometheus 2.42, Debian) on the whole /metrics response: the widest exposition
 * (every alias set, metadata labels, process and Node.js metrics) in both formats. promtool parses with
 * the text parser: a parse error exits 1, lint findings exit 3. The only findings allowed are the known
 * ones, each with its reason; any other finding or a parse error fails.
 *
 * promtool 2.42 has no OpenMetrics parser: it reads the OpenMetrics body as text, so a counter family
 * (named without `_total`, as OpenMetrics requires) shows as "no help text" on its `_total` samples.
 * That finding is allowed only when the OpenMetrics HELP of the stripped name is in the body; the real
 * OpenMetrics parser runs in the system test, where Prometheus scrapes OpenMetrics.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { prometheusOptionsFromConfig } from '../../../src/exporters/prometheus/options.ts';
import { config, goldenSnapshot, metricsApp, WIDE_CONFIG } from '../../helpers/metrics-harness.ts';

const { store, tc } = await goldenSnapshot();
const { app } = await metricsApp(store, prometheusOptionsFromConfig(config(WIDE_CONFIG)), { defaultMetrics: true });
after(async () => {
  await app.close();
  await tc.conn.close();
});

/** Findings that are there on purpose. */
const KNOWN: readonly RegExp[] = [
  // metrics.md D9: inovex types these cumulative values as gauges; kept for parity.
  /^libvirt_domain_memory_stats_hugetlb_pg(alloc|fail)_total non-counter metrics should not have "_total" suffix$/,
  // prom-client's default Node.js metrics (names not ours).
  /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/,
];

function promtool(body: string): { status: number | null; findings: string[] } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
  if (r.error !== undefined) throw r.error;
  const findings = `${r.stdout}${r.stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return { status: r.status, findings };
}

test('text 0.0.4: promtool parses it and finds only the known parity findings', async () => {
  const body = (await app.inject({ url: '/metrics' })).body;
  const { status, findings } = promtool(body);
  assert.notEqual(status, 1, `promtool could not parse the exposition: ${findings.join('; ')}`);
  const unknown = findings.filter((f) => !KNOWN.some((k) => k.test(f)));
  assert.deepEqual(unknown, []);
  assert.ok(status === 0 || status === 3, `exit ${status}`);
});

test('OpenMetrics: promtool parses it; findings are the known ones or counter families named per OpenMetrics', async () => {
  const body = (await app.inject({ url: '/metrics', headers: { accept: 'application/openmetrics-text; version=1.0.0' } })).body;
  assert.ok(body.endsWith('# EOF\n'));
  const { status, findings } = promtool(body);
  assert.notEqual(status, 1, `promtool could not parse the exposition: ${findings.join('; ')}`);
  const unknown = findings.filter((f) => {
    if (KNOWN.some((k) => k.test(f))) return false;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)_total no help text$/.exec(f);
    return m === null || !body.includes(`\n# TYPE ${m[1]} counter\n`);
  });
  assert.deepEqual(unknown, []);
});
