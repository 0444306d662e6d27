/** `virtmon alerts --rules FILE`: lists a valid file's rules; a bad one fails naming file, line and key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statesTable } from '../../../src/alerts/format.ts';
import { formatTable } from '../../../src/cli/format/table.ts';
import { tempDir } from '../../helpers/test-driver.ts';
import { runVirtmon } from './run-cli.ts';

test('alerts --rules lists the rules of a valid file without connecting', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const file = join(tmp.dir, 'rules.yml');
  writeFileSync(file, `rules:
  - name: cpu-runaway
    metric: libvirt_domain_info_cpu_time_seconds_total
    warning: { max: 0.8 }
    failure: { max: 1.5 }
    for: 30s
    resolve: reverse
    actions: { failure: [suspend, log], okay: [log] }
  - name: rss
    metric: libvirt_domain_memory_stats_rss_bytes
    failure: { min: 1024, max: 2e9 }
    hits: 3
`);
  const r = await runVirtmon(['alerts', '--rules', file]);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  const lines = r.stdout.split('\n');
  assert.match(lines[0] ?? '', /^ Rule +Metric +Warning +Failure +For +Hits +Actions$/);
  assert.match(lines[2] ?? '', /^ cpu-runaway +libvirt_domain_info_cpu_time_seconds_total \(rate\) +>0\.8 +>1\.5 +30s +1 +failure=suspend,log okay=log resolve=reverse$/);
  assert.match(lines[3] ?? '', /^ rss +libvirt_domain_memory_stats_rss_bytes +- +<1024 >2000000000 +0s +3 +-$/);
});

test('alerts --rules on a bad file fails with file, line and key', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const file = join(tmp.dir, 'bad.yml');
  writeFileSync(file, 'rules:\n  - name: x\n    metric: nope\n    failure: { max: 1 }\n');
  const r = await runVirtmon(['alerts', '--rules', file]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout.trim(), '');
  assert.match(r.stderr, new RegExp(`invalid alert rules: ${file}:3: rules\\.0\\.metric: unknown metric 'nope'`));
});

test('the states table the API and CLI print', () => {
  const text = formatTable(statesTable([
    { rule: 'cpu', domain: 'web-1', uuid: 'u', severity: 'failure', since: 1000, missing: false, pending: false, value: 1.9500001 },
    { rule: 'cpu', domain: 'web-2', uuid: 'v', severity: 'okay', since: 0, missing: false, pending: true },
  ], 61_000), true);
  assert.match(text, /\n cpu +web-1 +failure +60s ago +1\.95\n cpu +web-2 +okay \(pending\) +- +-\n$/);
});
