/** Exposition details: escaping, OpenMetrics counter family names, content negotiation, the slicer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptsGzip, escapeHelp, escapeLabelValue, familyHeader, negotiateFormat, seriesPrefix,
} from '../../../src/exporters/prometheus/format.ts';
import { renderMetricsJson } from '../../../src/exporters/prometheus/render-registry.ts';
import { Slicer } from '../../../src/exporters/prometheus/slicer.ts';

test('label values escape backslash, double quote and newline, nothing else', () => {
  assert.equal(escapeLabelValue('plain-name_01'), 'plain-name_01');
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  assert.equal(escapeLabelValue('tab\tü€'), 'tab\tü€');
  assert.equal(seriesPrefix('m', ['domain', 'target_device'], ['x"y', 'vda']), 'm{domain="x\\"y",target_device="vda"} ');
  assert.equal(seriesPrefix('m', [], []), 'm ');
});

test('HELP escaping differs by format: OpenMetrics also escapes double quotes', () => {
  assert.equal(escapeHelp('a "b" \\ c\nd', 'text'), 'a "b" \\\\ c\\nd');
  assert.equal(escapeHelp('a "b" \\ c\nd', 'openmetrics'), 'a \\"b\\" \\\\ c\\nd');
});

test('OpenMetrics names a counter family without _total; text keeps the sample name', () => {
  assert.equal(familyHeader('x_seconds_total', 'counter', 'h', 'openmetrics'), '# HELP x_seconds h\n# TYPE x_seconds counter\n');
  assert.equal(familyHeader('x_seconds_total', 'counter', 'h', 'text'), '# HELP x_seconds_total h\n# TYPE x_seconds_total counter\n');
  // D9: a gauge named _total stays as it is in both formats.
  assert.equal(familyHeader('y_total', 'gauge', 'h', 'openmetrics'), '# HELP y_total h\n# TYPE y_total gauge\n');
});

test('content negotiation follows Accept and its q-values', () => {
  assert.equal(negotiateFormat(undefined), 'text');
  assert.equal(negotiateFormat('*/*'), 'text');
  assert.equal(negotiateFormat('text/plain;version=0.0.4'), 'text');
  // What Prometheus 2.42 sends.
  assert.equal(negotiateFormat('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'), 'openmetrics');
  assert.equal(negotiateFormat('application/openmetrics-text;q=0'), 'text');
  assert.equal(negotiateFormat('text/plain;q=1, application/openmetrics-text;q=0.5'), 'text');
  assert.equal(acceptsGzip('gzip'), true);
  assert.equal(acceptsGzip('deflate, gzip;q=0.5'), true);
  assert.equal(acceptsGzip('gzip;q=0'), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.equal(acceptsGzip(undefined), false);
});

test('registry rendering: counters get _total in OpenMetrics, non-finite values and empty families are left out', () => {
  const json = [
    { name: 'c_total', help: 'c', type: 'counter', values: [{ value: 3, labels: { k: 'a"b' } }] },
    { name: 'g', help: 'g', type: 'gauge', values: [{ value: Number.NaN }, { value: 2 }] },
    { name: 'empty', help: 'e', type: 'gauge', values: [{ value: Number.POSITIVE_INFINITY }] },
    { name: 'h', help: 'h', type: 'histogram', values: [{ value: 1, labels: { le: '+Inf' }, metricName: 'h_bucket' }, { value: 0.5, metricName: 'h_sum' }] },
  ];
  assert.equal(renderMetricsJson(json, 'openmetrics'),
    '# HELP c c\n# TYPE c counter\nc_total{k="a\\"b"} 3\n# HELP g g\n# TYPE g gauge\ng 2\n'
    + '# HELP h h\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 0.5\n');
  assert.match(renderMetricsJson(json, 'text'), /^# HELP c_total c\n# TYPE c_total counter\nc_total\{k="a\\"b"\} 3\n/);
  assert.doesNotMatch(renderMetricsJson(json, 'text'), /NaN|Inf |empty/);
});

test('the slicer asks for a pause only after its slice is used up, and 0 never pauses', () => {
  let now = 0;
  const s = new Slicer(5, () => now);
  assert.equal(s.tick(1000), false, 'clock not moved');
  now = 6;
  assert.equal(s.tick(100), false, 'under 256 units since the last check');
  assert.equal(s.tick(200), true);
  const never = new Slicer(0, () => now);
  now = 1000;
  assert.equal(never.tick(10_000), false);
  assert.throws(() => new Slicer(-1), RangeError);
});
