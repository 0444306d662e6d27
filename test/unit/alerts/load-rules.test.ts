/** Rules files: defaults, and bad input named by file, line and key, all problems at once, nothing applied. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRulesFile, parseRulesText } from '../../../src/alerts/load-rules.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { tempDir } from '../../helpers/test-driver.ts';

const rulesError = (text: string): VirtmonError => {
  try {
    parseRulesText(text, '/etc/virtmon/rules.yml');
  } catch (e) {
    assert.ok(e instanceof VirtmonError);
    assert.equal(e.code, 'VIRTMON_ERR_RULES');
    return e;
  }
  assert.fail('expected an error');
};

describe('rules file', () => {
  test('a good file resolves with defaults', () => {
    const set = parseRulesText(`
webhooks:
  ops: { url: "https://hooks.example/virtmon", headers: { authorization: "Bearer x" } }
exec:
  page: { argv: [/usr/local/bin/page, --now], format: collectd, user: 65534 }
rules:
  - name: cpu-runaway
    metric: libvirt_domain_info_cpu_time_seconds_total
    labels: {}
    domains: { name: "^web-", metadata: [{ namespace: "http://openstack.org/xmlns/libvirt/nova/1.1", xpath: "/nova:instance/nova:flavor/@name", match: "^m1" }] }
    warning: { max: 0.8 }
    failure: { max: 1.5 }
    for: 1m30s
    hits: 2
    resolve: reverse
    actions:
      failure: [suspend, { webhook: ops }, { exec: page }, log, trap]
  - name: disk-read
    metric: libvirt_domain_block_stats_read_bytes_total
    labels: { target_device: "/^vd/" }
    failure: { max: 1e8 }
`, 'rules.yml');
    assert.equal(set.rules.length, 2);
    const [cpu, disk] = set.rules;
    assert.equal(cpu?.rate, true);
    assert.equal(cpu?.line, 7);
    assert.deepEqual(cpu?.debounce, { forMs: 90_000, hits: 2, persist: false, persistOk: false });
    assert.equal(cpu?.interesting, true);
    assert.equal(cpu?.domains.metadata[0]?.label.path, 'instance/flavor/@name');
    assert.deepEqual(cpu?.actions.failure.map((a) => a.kind), ['domain', 'webhook', 'exec', 'log', 'trap']);
    assert.equal(disk?.labels[0]?.test('vda'), true);
    assert.equal(disk?.labels[0]?.test('sda'), false);
    assert.equal(set.webhooks.get('ops')?.timeoutMs, 5000);
    assert.equal(set.webhooks.get('ops')?.retries, 2);
    assert.equal(set.exec.get('page')?.timeoutMs, 30_000);
    assert.equal(set.exec.get('page')?.uid, 65534);
  });

  test('schema problems: every one named by file, line and key', () => {
    const e = rulesError(`rules:
  - name: "x y"
    metric: libvirt_domain_info_cpu_time_seconds_total
    failure: { max: 1, mx: 2 }
    for: 3 minutes
    actions:
      failure: [suspnd]
`);
    assert.equal(e.file, '/etc/virtmon/rules.yml');
    assert.equal(e.line, 2);
    assert.equal(e.key, 'rules.0.name');
    const lines = e.message.replace(/^invalid alert rules: /, '').split('\n');
    assert.deepEqual(lines, [
      '/etc/virtmon/rules.yml:2: rules.0.name: is malformed: rule name: letters, digits, _ . : - (got "x y")',
      "/etc/virtmon/rules.yml:4: rules.0.failure.mx: unknown key 'mx'",
      '/etc/virtmon/rules.yml:5: rules.0.for: must be a duration such as 30s, 5m, 1h30m or a number of seconds (got "3 minutes")',
      '/etc/virtmon/rules.yml:7: rules.0.actions.failure.0: must be suspend, resume, shutdown, reboot, reset, destroy, log, trap, {webhook: NAME} or {exec: NAME} (got "suspnd")',
    ]);
  });

  test('semantic problems: metric, labels, regexes, bounds, hook names, duplicates, no threshold', () => {
    const e = rulesError(`rules:
  - name: a
    metric: libvirt_domain_info_cpu_time_seconds_totl
    failure: { max: 1 }
  - name: b
    metric: libvirt_domain_block_stats_read_bytes_total
    labels: { device: vda }
    domains: { name: "([" }
    failure: { min: 5, max: 1 }
    actions: { failure: [{ webhook: nope }] }
  - name: b
    metric: libvirt_up
    failure: { max: 1 }
  - name: c
    metric: libvirt_domain_info_virtual_cpus
`);
    const lines = e.message.replace(/^invalid alert rules: /, '').split('\n');
    assert.deepEqual(lines, [
      "/etc/virtmon/rules.yml:3: rules.0.metric: unknown metric 'libvirt_domain_info_cpu_time_seconds_totl' (see docs/metrics.md)",
      "/etc/virtmon/rules.yml:7: rules.1.labels.device: 'libvirt_domain_block_stats_read_bytes_total' has no label 'device' (labels: target_device); select domains under domains:",
      '/etc/virtmon/rules.yml:8: rules.1.domains.name: is not a valid regular expression: Invalid regular expression: /([/: Unterminated character class',
      '/etc/virtmon/rules.yml:9: rules.1.failure.min: must not be greater than failure.max (1)',
      "/etc/virtmon/rules.yml:10: rules.1.actions.failure.0.webhook: no webhook named 'nope' under webhooks:",
      "/etc/virtmon/rules.yml:11: rules.2.name: rule 'b' is defined twice",
      "/etc/virtmon/rules.yml:12: rules.2.metric: 'libvirt_up' is not a per-domain metric",
      "/etc/virtmon/rules.yml:14: rules.3: rule 'c' sets no threshold (warning or failure min/max)",
    ]);
  });

  test('YAML syntax errors and unreadable files', async (t) => {
    const e = rulesError('rules:\n  - name: a\n   metric: [\n');
    assert.ok(e.line !== undefined && e.line >= 2, `line ${e.line}`);
    const tmp = tempDir();
    t.after(tmp.cleanup);
    await assert.rejects(loadRulesFile(join(tmp.dir, 'none.yml')), (err: VirtmonError) => err.code === 'VIRTMON_ERR_RULES' && /cannot read/.test(err.message));
    writeFileSync(join(tmp.dir, 'r.yml'), 'rules: []\n');
    assert.deepEqual((await loadRulesFile(join(tmp.dir, 'r.yml'))).rules, []);
  });
});

test('the shipped example rules file is valid', async () => {
  const set = await loadRulesFile(new URL('../../../examples/alert-rules.yml', import.meta.url).pathname);
  assert.deepEqual(set.rules.map((r) => r.name), ['cpu-runaway', 'qemu-rss', 'vda-write-time']);
  assert.equal(set.rules[0]?.debounce.forMs, 120_000);
});
