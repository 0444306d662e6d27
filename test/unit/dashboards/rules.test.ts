/**
 * alerts/virtmon.rules.yml as data: every expression reads catalog metrics (or recording rules, or `up`),
 * every alert has a severity, a summary, a description and a runbook section, and a promtool test that
 * fires it and one that keeps it silent.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { metricNames, unknownNames } from '../../../scripts/dashboards/promql-names.ts';

interface Rule { record?: string; alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
interface RuleFile { groups: { name: string; rules: Rule[] }[] }
interface AlertCase { alertname: string; exp_alerts: unknown[] }
interface TestFile { rule_files: string[]; tests: { name: string; alert_rule_test?: AlertCase[] }[] }

const root = new URL('../../../', import.meta.url);
const rules = (parse(readFileSync(new URL('alerts/virtmon.rules.yml', root), 'utf8')) as RuleFile).groups.flatMap((g) => g.rules);
const runbook = readFileSync(new URL('alerts/RUNBOOK.md', root), 'utf8');
const testFiles = readdirSync(new URL('alerts/tests/', root)).filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(new URL(`alerts/tests/${f}`, root), 'utf8')) as TestFile);
const alerts = rules.filter((r) => r.alert !== undefined);
const records = new Set(rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));

test('the rules cover the common cases the issue names', () => {
  const names = alerts.map((r) => r.alert);
  for (const n of ['VirtmonDomainCrashed', 'VirtmonDomainPausedIOError', 'VirtmonDomainCPUSaturated', 'VirtmonDomainCPUSteal',
    'VirtmonDomainMemoryPressure', 'VirtmonDomainDiskLatencyHigh', 'VirtmonDomainNICErrors', 'VirtmonDomainStatsStale', 'VirtmonAgentDown']) {
    assert.ok(names.includes(n), `missing alert ${n}`);
  }
  assert.equal(new Set(names).size, names.length, 'duplicate alert names');
});

test('every expression reads only catalog metrics, recording rules or up', () => {
  for (const r of rules) {
    const name = r.alert ?? r.record ?? '?';
    assert.ok(metricNames(r.expr).length > 0, `${name} reads no metric`);
    assert.deepEqual(unknownNames(r.expr, new Set([...records, 'up'])), [], `${name}: ${r.expr}`);
  }
  for (const r of records) assert.match(r, /^virtmon:[a-z_]+:[a-z0-9_]+$/, `recording rule ${r} is not level:metric:operations`);
});

test('every alert has a severity, summary, description and a runbook section', () => {
  for (const r of alerts) {
    const name = r.alert ?? '';
    assert.ok(['critical', 'warning'].includes(r.labels?.severity ?? ''), `${name}: severity`);
    assert.ok((r.annotations?.summary ?? '').length > 0, `${name}: summary`);
    assert.ok((r.annotations?.description ?? '').length > 0, `${name}: description`);
    assert.equal(r.annotations?.runbook_url, `alerts/RUNBOOK.md#${name.toLowerCase()}`, `${name}: runbook_url`);
    const section = new RegExp(`^## ${name}\\n(.+)`, 'm').exec(runbook);
    assert.ok(section !== null && (section[1] ?? '').length > 20, `${name}: no runbook section in alerts/RUNBOOK.md`);
  }
});

test('every alert has a promtool case where it fires and one where it stays silent', () => {
  const cases = testFiles.flatMap((f) => f.tests.flatMap((t) => t.alert_rule_test ?? []));
  for (const r of alerts) {
    const mine = cases.filter((c) => c.alertname === r.alert);
    assert.ok(mine.some((c) => c.exp_alerts.length > 0), `${r.alert ?? ''} never fires in alerts/tests`);
    assert.ok(mine.some((c) => c.exp_alerts.length === 0), `${r.alert ?? ''} is never checked silent in alerts/tests`);
  }
  for (const f of testFiles) assert.deepEqual(f.rule_files, ['../virtmon.rules.yml']);
});
