import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, writeFile } from 'node:fs/promises';
import { childEnv, startAgentProcess, virtmonRun } from '../../helpers/agent-process.ts';
import { shortTempDir } from '../../helpers/tmp-socket.ts';

test('virtmon agent: serves, refuses a second agent, exits 0 on SIGTERM and removes sockets and pidfile', async (t) => {
  const tmp = await shortTempDir('agp');
  t.after(() => tmp.remove());
  const file = tmp.path('virtmon.yaml');
  await writeFile(file, `uri: test:///default\nlog: { format: json }\nhttp: { listen: "127.0.0.1:0" }\nagent: { runDir: ${tmp.path('run')} }\nalerts: { auditLog: ${tmp.path('audit.log')} }\n`);
  const agent = await startAgentProcess(file);
  t.after(() => agent.stop('SIGKILL'));
  const { socket, readOnlySocket } = agent.ready;
  assert.equal(socket, tmp.path('run/virtmon-sock'));

  const second = await virtmonRun(['agent', '--config', file]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, new RegExp(`^error: operation failed: another virtmon agent \\(pid ${agent.child.pid}\\) is running with pidfile ${tmp.path('run/virtmon.pid')}\\n$`));

  const cli = await virtmonRun(['-c', `test+unix:///default?socket=${socket}`, 'suspend test; domstate test --reason']);
  assert.deepEqual(cli, { code: 0, stdout: "Domain 'test' suspended\n\npaused (user)\n\n", stderr: '' });
  // State lives in the agent: a second CLI run sees the first one's change.
  const again = await virtmonRun(['-c', `test+unix:///default?socket=${socket}`, 'domstate test --reason']);
  assert.equal(again.stdout, 'paused (user)\n\n');

  assert.equal(await agent.stop('SIGTERM'), 0);
  for (const path of [socket, readOnlySocket, tmp.path('run/virtmon.pid')]) {
    await assert.rejects(access(path), { code: 'ENOENT' }, path);
  }
  assert.ok(agent.logs.some((l) => l.msg === 'stopping; domains keep running' && l.signal === 'SIGTERM'));
});

test('bad config fails at start with exit 78 and file:line: key', async (t) => {
  const tmp = await shortTempDir('agc');
  t.after(() => tmp.remove());
  const cases: [string, RegExp][] = [
    ['uri: test:///default\nbogus: 1\n', /:2: bogus: unknown key 'bogus'/],
    ['uri: test:///default\nhttp:\n  listen: 9177\n', /:3: http\.listen: must be string \(got 9177\)/],
    ['uri: "::nonsense"\n', /:1: uri: invalid argument: could not parse connection URI '::nonsense'/],
    [`uri: foo:///bar\nagent: { runDir: ${tmp.path('r1')} }\n`, /:1: uri: cannot open foo:\/\/\/bar: no connection driver available for foo:\/\/\/bar/],
    [`uri: qemu:///nowhere\nagent: { runDir: ${tmp.path('r2')} }\n`, /:1: uri: cannot open qemu:\/\/\/nowhere: internal error: unexpected QEMU URI path '\/nowhere'/],
    [`uri: qemu:///session\nagent:\n  runDir: ${tmp.path('r3')}\n  driver:\n    bogus: 1\n`, /:5: agent\.driver\.bogus: invalid argument: qemu driver setting 'bogus' is unknown/],
  ];
  for (const [i, [text, expected]] of cases.entries()) {
    const file = tmp.path(`bad${i}.yaml`);
    await writeFile(file, text);
    const r = await virtmonRun(['agent', '--config', file], childEnv({ XDG_RUNTIME_DIR: tmp.path('xdg'), HOME: tmp.dir }));
    assert.equal(r.code, 78, `${text}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^error: invalid configuration: ${file}${expected.source}`), text);
  }
  const missing = await virtmonRun(['agent', '--config', tmp.path('absent.yaml')]);
  assert.equal(missing.code, 78);
  assert.match(missing.stderr, /cannot read .*absent\.yaml/);
  const usage = await virtmonRun(['agent', '--bogus']);
  assert.equal(usage.code, 64);
  assert.match(usage.stderr, /^error: unknown argument '--bogus'\nUsage: virtmon agent/);
});

test('the API over TCP binds loopback only while it has no authentication', async (t) => {
  const tmp = await shortTempDir('agt');
  t.after(() => tmp.remove());
  const file = tmp.path('virtmon.yaml');
  await writeFile(file, `uri: test:///default\nagent: { runDir: ${tmp.path('run')} }\napi:\n  tcp: "0.0.0.0:0"\n`);
  const r = await virtmonRun(['agent', '--config', file]);
  assert.equal(r.code, 78);
  assert.match(r.stderr, new RegExp(`^error: invalid configuration: ${file}:4: api\\.tcp: 0\\.0\\.0\\.0:0 is not a loopback address`));
  await assert.rejects(access(tmp.path('run/virtmon.pid')), { code: 'ENOENT' });
});
