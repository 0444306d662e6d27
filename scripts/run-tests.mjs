#!/usr/bin/env node
// Runs every test file through node:test with tsx, from an explicit file list.
// Node 20's `--test DIR` silently skips .ts files and runs 0 tests, so we list the files
// ourselves and fail when the run executed no test, failed one, or skipped one.
//
// Usage: node scripts/run-tests.mjs [PATH_PREFIX ...]
//   VIRTMON_TEST_CONCURRENCY=N   files run in parallel (default 2)
//   VIRTMON_ALLOW_SKIP=1         a skipped test does not fail the run (never in CI)
import { spawn } from 'node:child_process';
import { readdirSync, statSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const prefixes = process.argv.slice(2).map((p) => relative(root, join(process.cwd(), p)));

/** Lists *.test.ts files under dir, sorted, recursively. */
function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const files = findTests(join(root, 'test')).filter(
  (f) => prefixes.length === 0 || prefixes.some((p) => f.startsWith(p)),
);
if (files.length === 0) {
  console.error(`run-tests: no test files match ${prefixes.join(' ') || 'test/'}`);
  process.exit(1);
}

const tapDir = mkdtempSync(join(tmpdir(), 'virtmon-tests-'));
const tapFile = join(tapDir, 'results.tap');
const concurrency = process.env.VIRTMON_TEST_CONCURRENCY ?? '2';
const args = [
  '--import', 'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
  ...files,
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  let tap = '';
  try { tap = readFileSync(tapFile, 'utf8'); } catch { /* reporter wrote nothing */ }
  rmSync(tapDir, { recursive: true, force: true });
  // The summary lines of the last (top-level) summary block.
  const count = (key) => {
    const all = [...tap.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : NaN;
  };
  const tests = count('tests'), fail = count('fail'), skip = count('skipped'), todo = count('todo');
  const problems = [];
  if (!(tests > 0)) problems.push(`the run executed ${Number.isNaN(tests) ? 'an unknown number of' : 0} tests`);
  if (fail > 0) problems.push(`${fail} failed`);
  if ((skip > 0 || todo > 0) && process.env.VIRTMON_ALLOW_SKIP !== '1') {
    problems.push(`${skip} skipped and ${todo} todo (a skip is not a pass)`);
  }
  if (signal) problems.push(`the test runner died of ${signal}`);
  else if (code !== 0 && problems.length === 0) problems.push(`the test runner exited ${code}`);
  console.log(`\nrun-tests: ${files.length} files, ${tests} tests, ${fail} failed, ${skip} skipped, ${todo} todo`);
  if (problems.length) {
    console.error(`run-tests: FAILED: ${problems.join('; ')}`);
    process.exit(1);
  }
});
