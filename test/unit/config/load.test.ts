import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { loadConfigFile, parseConfigText } from '../../../src/config/load.ts';
import { parseDuration } from '../../../src/config/duration.ts';

/** Runs fn and returns the VirtmonError it throws. */
function configErrorOf(fn: () => unknown): VirtmonError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof VirtmonError, `expected a VirtmonError, got ${String(err)}`);
    assert.equal(err.code, 'VIRTMON_ERR_CONFIG');
    return err;
  }
  assert.fail('expected a config error');
}

test('an empty file gives every default', () => {
  const c = parseConfigText('', 'virtmon.yaml');
  assert.equal(c.uri.raw, 'qemu:///system');
  assert.equal(c.collection.intervalMs, 10_000);
  assert.equal(c.collection.domainTimeoutMs, 3_000);
  assert.equal(c.http.listen, '127.0.0.1:9177');
  assert.equal(c.log.level, 'info');
  assert.equal(c.paths.cgroup, '/sys/fs/cgroup');
  assert.deepEqual(c.metrics.compat, []);
  assert.equal(c.domains.includeInactive, true);
});

test('values are resolved: durations, regexes, per-collector settings', () => {
  const c = parseConfigText([
    'uri: test:///default',
    'collection:',
    '  interval: 1m30s',
    '  domainTimeout: 500ms',
    'collectors:',
    '  block: { enabled: false, interval: 30 }',
    'domains:',
    '  exclude: ["^tmp-"]',
  ].join('\n'), 'v.yaml');
  assert.equal(c.uri.driver, 'test');
  assert.equal(c.collection.intervalMs, 90_000);
  assert.equal(c.collection.domainTimeoutMs, 500);
  assert.deepEqual(c.collectors.block, { enabled: false, intervalMs: 30_000 });
  assert.ok(c.domains.exclude[0]?.test('tmp-1'));
});

test('an unknown key names file, line and key', () => {
  const err = configErrorOf(() => parseConfigText('uri: test:///default\ncollection:\n  intervall: 10s\n', '/etc/v.yaml'));
  assert.equal(err.message, "invalid configuration: /etc/v.yaml:3: collection.intervall: unknown key 'intervall'");
  assert.equal(err.file, '/etc/v.yaml');
  assert.equal(err.line, 3);
  assert.equal(err.key, 'collection.intervall');
});

test('wrong types, bad enums and bad durations are all reported at once with lines', () => {
  const err = configErrorOf(() => parseConfigText([
    'log:',
    '  level: loud',
    'collection:',
    '  interval: ten',
    'domains:',
    '  includeInactive: "yes"',
    '  exclude: ["("]',
  ].join('\n'), 'v.yaml'));
  assert.match(err.message, /v\.yaml:2: log\.level: must be one of "trace", "debug", "info", "warn", "error", "fatal" \(got "loud"\)/);
  assert.match(err.message, /v\.yaml:4: collection\.interval: must be a duration|v\.yaml:4: collection\.interval: must be how often/);
  assert.match(err.message, /v\.yaml:6: domains\.includeInactive: must be boolean \(got "yes"\)/);
  assert.equal(err.line, 2);
});

test('semantic problems: a bad regex and a bad URI name their keys', () => {
  const err = configErrorOf(() => parseConfigText('uri: "not a uri"\ndomains:\n  exclude:\n    - "("\n', 'v.yaml'));
  assert.match(err.message, /v\.yaml:1: uri: invalid argument: could not parse connection URI 'not a uri'/);
  assert.match(err.message, /v\.yaml:4: domains\.exclude\.0: is not a valid regular expression/);
});

test('YAML syntax errors and duplicate keys give the line', () => {
  assert.match(configErrorOf(() => parseConfigText('uri: a\nuri: b\n', 'v.yaml')).message, /v\.yaml:2: /);
  assert.match(configErrorOf(() => parseConfigText('log: [unclosed\n', 'v.yaml')).message, /v\.yaml:\d+: /);
  assert.match(configErrorOf(() => parseConfigText('- a list\n', 'v.yaml')).message, /must hold a mapping/);
});

test('files: absent is fine unless required; unreadable is an error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-cfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(loadConfigFile(join(dir, 'none.yaml'), { mustExist: false }).uri.raw, 'qemu:///system');
  assert.match(configErrorOf(() => loadConfigFile(join(dir, 'none.yaml'), { mustExist: true })).message, /cannot read/);
  writeFileSync(join(dir, 'v.yaml'), 'uri: test:///default\n');
  assert.equal(loadConfigFile(join(dir, 'v.yaml'), { mustExist: true }).uri.raw, 'test:///default');
});

test('durations', () => {
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration(0.5), 500);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('10'), 10_000);
  assert.equal(parseDuration('ten'), undefined);
  assert.equal(parseDuration('10s5'), undefined);
  assert.equal(parseDuration(-1), undefined);
});
