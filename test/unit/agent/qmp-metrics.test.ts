/** The QMP metrics' observer: one histogram sample per command, timeouts counted, the label set bounded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { qmpMetricsObserver } from '../../../src/agent/wiring/qmp-metrics.ts';
import { QMP_COMMAND_LABELS } from '../../../src/domain/qmp-observer.ts';

test('durations by command, timeouts counted, unknown command names become other', async () => {
  const registry = new Registry();
  const observe = qmpMetricsObserver(registry);
  observe('query-status', 0.002, 'ok');
  observe('query-status', 0.004, 'error');
  observe('system_reset', 30, 'timeout');
  observe('x-debug-something', 0.5, 'ok');
  observe('"}\n evil', 0.5, 'timeout');
  const text = await registry.metrics();
  assert.match(text, /^# TYPE virtmon_qmp_command_duration_seconds histogram$/m);
  assert.match(text, /^virtmon_qmp_command_duration_seconds_bucket\{le="0.0025",command="query-status"\} 1$/m);
  assert.match(text, /^virtmon_qmp_command_duration_seconds_count\{command="query-status"\} 2$/m);
  assert.match(text, /^virtmon_qmp_command_duration_seconds_bucket\{le="30",command="system_reset"\} 1$/m);
  assert.match(text, /^virtmon_qmp_command_duration_seconds_count\{command="other"\} 2$/m);
  assert.match(text, /^virtmon_qmp_timeouts_total\{command="system_reset"\} 1$/m);
  assert.match(text, /^virtmon_qmp_timeouts_total\{command="other"\} 1$/m);
  assert.doesNotMatch(text, /x-debug|evil/);
  const commands = new Set([...text.matchAll(/command="([^"]*)"/g)].map((m) => m[1]));
  for (const c of commands) assert.ok(c === 'other' || QMP_COMMAND_LABELS.includes(c ?? ''), c);
});
