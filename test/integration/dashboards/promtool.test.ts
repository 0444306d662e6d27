/**
 * The real promtool (Debian's prometheus package) on our rule files: `check rules`, `test rules`, a broken
 * copy rejected with its location, and every dashboard query compiled as a recording rule so a PromQL
 * syntax error in a panel fails here rather than in Grafana.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, specExpressions } from '../../../scripts/dashboards/index.ts';
import { substitute } from '../../helpers/dashboard-queries.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let dir = '';

function promtool(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('promtool', args, { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

before(async () => { dir = await mkdtemp(join(tmpdir(), 'vmt-promtool-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('promtool check rules accepts alerts/virtmon.rules.yml', async () => {
  const r = await promtool('check', 'rules', 'alerts/virtmon.rules.yml');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /SUCCESS: \d+ rules found/);
});

test('promtool test rules passes every file under alerts/tests', async () => {
  const files = (await readdir(join(root, 'alerts/tests'))).filter((f) => f.endsWith('.yaml')).map((f) => `alerts/tests/${f}`);
  assert.ok(files.length > 0);
  const r = await promtool('test', 'rules', ...files);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /SUCCESS/);
  assert.doesNotMatch(r.out, /FAILED/);
});

test('promtool rejects a rule file with a PromQL error and names the file', async () => {
  const text = await readFile(join(root, 'alerts/virtmon.rules.yml'), 'utf8');
  const broken = join(dir, 'broken.rules.yml');
  await writeFile(broken, text.replace('expr: libvirt_domain_info_state == 6', 'expr: libvirt_domain_info_state == == 6'));
  const r = await promtool('check', 'rules', broken);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /broken\.rules\.yml/);
});

test('every dashboard query and variable selector parses as PromQL (variables substituted)', async () => {
  const exprs = DASHBOARDS.flatMap((d) => specExpressions(d.spec))
    .map((e) => substitute(e, { host: 'h1:9177', domain: 'web' }, 15));
  const file = join(dir, 'dashboards.rules.yml');
  const rules = exprs.map((e, i) => `      - record: dashboard:query_${i}:expr\n        expr: ${JSON.stringify(e)}`).join('\n');
  await writeFile(file, `groups:\n  - name: dashboards\n    rules:\n${rules}\n`);
  const r = await promtool('check', 'rules', file);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`SUCCESS: ${exprs.length} rules found`));
});
