import { test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { runCli } from '../../../src/cli/run.ts';
import { Connection } from '../../../src/drivers/dispatch.ts';
import { parseUri } from '../../../src/drivers/uri.ts';

// A driver whose entries throw plain exceptions: what a bug anywhere below the CLI looks like.
const buggy = (): Connection => new Connection(parseUri('buggy:///'), 'buggy', {
  close: () => Promise.resolve(),
  listAllDomains: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'state')")),
  lookupByName: () => { throw new RangeError('boom'); },
}, false);

async function run(argv: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, {
    version: '0.1.0', driverNames: [], open: () => Promise.resolve(buggy()),
    env: { VIRTMON_CLIENT_CONFIG: '/nonexistent', ...env }, uid: 0, homedir: homedir(), cwd: '/', clock: Date.now,
  });
  return { code, stdout, stderr };
}

test('unexpected exceptions print error: lines and exit 1, never a stack', async () => {
  const r = await run(['list; dominfo x'], {});
  assert.equal(r.code, 1);
  assert.equal(r.stderr,
    "error: Failed to list domains\nerror: internal error: Cannot read properties of undefined (reading 'state')\n" +
    "error: failed to get domain 'x'\n");
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('VIRTMON_DEBUG=1 adds the stack', async () => {
  const r = await run(['list'], { VIRTMON_DEBUG: '1' });
  assert.match(r.stderr, /\nTypeError: Cannot read properties[^\n]*\n\s+at /);
  assert.match(r.stderr, /error: internal error: Cannot read properties/);
});
