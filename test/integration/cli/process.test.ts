import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/virtmon.js', import.meta.url));

/** Spawns `node bin/virtmon.js ARGS` with a client config that does not exist. */
function virtmon(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' };
  delete env.VIRTMON_DEFAULT_URI;
  delete env.VIRTMON_DEBUG;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      // A spawn failure or a timeout has no numeric exit code: report it as -1 with the reason.
      if (err === null) resolve({ code: 0, stdout, stderr });
      else if (typeof err.code === 'number') resolve({ code: err.code, stdout, stderr });
      else resolve({ code: -1, stdout, stderr: `${stderr}${err.message}` });
    });
  });
}

test('virtmon -c test:///default list --all', async () => {
  assert.deepEqual(await virtmon('-c', 'test:///default', 'list', '--all'), {
    code: 0, stdout: ' Id   Name   State\n----------------------\n 1    test   running\n\n', stderr: '',
  });
});

test('a ; chain in one argument carries state from one command to the next', async () => {
  assert.deepEqual(await virtmon('-c', 'test:///default', 'suspend test; domstate test --reason'), {
    code: 0, stdout: "Domain 'test' suspended\n\npaused (user)\n\n", stderr: '',
  });
});

test('a failing command exits 1 with libvirt\'s error on stderr', async () => {
  assert.deepEqual(await virtmon('-c', 'test:///default', 'resume', 'test'), {
    code: 1,
    stdout: '\n',
    stderr: "error: Failed to resume domain 'test'\nerror: Requested operation is not valid: domain is already running\n",
  });
});

test('a URI no driver takes', async () => {
  assert.deepEqual(await virtmon('-c', 'nosuch:///x', 'list'), {
    code: 1, stdout: '', stderr: 'error: failed to connect to the hypervisor\nerror: no connection driver available for nosuch:///x\n',
  });
});

test('npm start\'s demo script lists the demo host and its statistics from any directory', async () => {
  const script = fileURLToPath(new URL('../../../scripts/demo-cli.mjs', import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' };
  const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [script], { env, cwd: '/', timeout: 30_000 }, (err, stdout) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout });
    });
  });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^ Id {3}Name {16}State\n-+\n 1 {4}web-01 {14}running\n/);
  assert.match(r.stdout, /\nDomain: 'web-01'\n {2}state\.state=1\n/);
});
