/**
 * Exporter settings from the `otel` block and the OTEL_* environment: the config file wins, then the
 * signal-specific variable, then the generic one, then the default; bad values name their source.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from '../../../src/config/load.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { parseKeyValueList } from '../../../src/exporters/otel/env.ts';
import { resolveOtelSettings } from '../../../src/exporters/otel/settings.ts';

const block = (yaml: string) => parseConfigText(`otel: ${yaml}\n`, 'virtmon.yaml').otel;

test('off by default; every setting left to the environment', () => {
  const config = parseConfigText('uri: test:///default\n', 'virtmon.yaml');
  assert.deepEqual(config.otel, { enabled: false });
});

test('defaults without config or environment: http/protobuf to localhost:4318, cumulative, interval = collection interval', () => {
  const s = resolveOtelSettings({ enabled: true }, {}, 10_000);
  assert.deepEqual(s, {
    protocol: 'http/protobuf', url: 'http://localhost:4318/v1/metrics', headers: {}, compression: 'none',
    intervalMs: 10_000, timeoutMs: 10_000, temporality: 'cumulative', resourceAttributes: {}, timeoutClamped: false,
  });
  assert.equal(resolveOtelSettings({ enabled: true, protocol: 'grpc' }, {}).url, 'http://localhost:4317');
  assert.equal(resolveOtelSettings({ enabled: true }, {}).intervalMs, 60_000);
});

test('environment fills what the file leaves out; signal-specific beats generic', () => {
  const env = {
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-a=1',
    OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-a=2',
    OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    OTEL_METRIC_EXPORT_INTERVAL: '30000',
    OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,rack=r%2C1',
    OTEL_SERVICE_NAME: 'virtmon-edge',
  };
  const s = resolveOtelSettings({ enabled: true }, env, 10_000);
  assert.equal(s.protocol, 'http/json');
  // The generic endpoint is a base: /v1/metrics is appended for HTTP.
  assert.equal(s.url, 'https://collector.example:4318/v1/metrics');
  assert.deepEqual(s.headers, { authorization: 'Bearer abc', 'x-a': '2' });
  assert.equal(s.compression, 'gzip');
  assert.equal(s.intervalMs, 30_000);
  assert.equal(s.timeoutMs, 5_000);
  assert.equal(s.temporality, 'delta');
  assert.deepEqual(s.resourceAttributes, { 'deployment.environment': 'prod', rack: 'r,1', 'service.name': 'virtmon-edge' });
  // The signal endpoint is used as is.
  assert.equal(resolveOtelSettings({ enabled: true }, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:9/custom' }).url, 'http://c:9/custom');
});

test('the config file wins over the environment, key by key for headers and resource attributes', () => {
  const b = block(`{ enabled: true, protocol: grpc, endpoint: "http://127.0.0.1:4317", compression: none, interval: 15s,
    timeout: 2s, temporality: cumulative, headers: { x-a: file }, resourceAttributes: { rack: r9 } }`);
  const env = {
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://other:1/v1/metrics',
    OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_METRIC_EXPORT_TIMEOUT: '500',
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-a=env,x-b=env', OTEL_RESOURCE_ATTRIBUTES: 'rack=r1,zone=z1',
  };
  const s = resolveOtelSettings(b, env);
  assert.deepEqual(
    [s.protocol, s.url, s.compression, s.intervalMs, s.timeoutMs, s.temporality],
    ['grpc', 'http://127.0.0.1:4317', 'none', 15_000, 2_000, 'cumulative'],
  );
  assert.deepEqual(s.headers, { 'x-a': 'file', 'x-b': 'env' });
  assert.deepEqual(s.resourceAttributes, { rack: 'r9', zone: 'z1' });
});

test('a timeout above the interval is lowered to it (no export outlives its interval)', () => {
  const s = resolveOtelSettings({ enabled: true, intervalMs: 1000, timeoutMs: 5000 }, {});
  assert.deepEqual([s.timeoutMs, s.timeoutClamped], [1000, true]);
});

test('bad environment values fail with VIRTMON_ERR_CONFIG naming the variable', () => {
  const bad: [Record<string, string>, string][] = [
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    [{ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://c' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' }, 'OTEL_EXPORTER_OTLP_COMPRESSION'],
    [{ OTEL_METRIC_EXPORT_INTERVAL: '10s' }, 'OTEL_METRIC_EXPORT_INTERVAL'],
    [{ OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '-1' }, 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT'],
    [{ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes' }, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, 'OTEL_EXPORTER_OTLP_HEADERS'],
    [{ OTEL_RESOURCE_ATTRIBUTES: 'a=%zz' }, 'OTEL_RESOURCE_ATTRIBUTES'],
  ];
  for (const [env, name] of bad) {
    assert.throws(() => resolveOtelSettings({ enabled: true }, env), (err: unknown) => {
      assert.ok(err instanceof VirtmonError);
      assert.equal(err.code, 'VIRTMON_ERR_CONFIG');
      assert.ok(err.message.includes(name), err.message);
      return true;
    });
  }
});

test('bad config values name file, line and key', () => {
  for (const [yaml, key] of [
    ['{ enabled: true, interval: 0 }', 'otel.interval'],
    ['{ enabled: true, protocol: udp }', 'otel.protocol'],
    ['{ enabled: true, endpoint: "collector:4318" }', 'otel.endpoint'],
    ['{ enabled: true, temporality: sometimes }', 'otel.temporality'],
    ['{ enabled: true, retries: 3 }', 'otel'],
  ] as const) {
    assert.throws(() => block(yaml), (err: unknown) => {
      assert.ok(err instanceof VirtmonError && err.code === 'VIRTMON_ERR_CONFIG');
      assert.match(err.message, /virtmon\.yaml:\d+/);
      assert.ok(err.message.includes(key.split('.').pop() ?? key), err.message);
      return true;
    });
  }
});

test('key=value lists: percent-decoding, blanks skipped', () => {
  assert.deepEqual(parseKeyValueList('X', ' a = 1 ,, b=x%3Dy '), { a: '1', b: 'x=y' });
});
