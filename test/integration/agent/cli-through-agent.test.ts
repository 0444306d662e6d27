import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { runCli } from '../../../src/cli/run.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import type { HypervisorDriver } from '../../../src/drivers/driver.ts';
import { CLI_DRIVERS } from '../../../src/drivers/index.ts';
import { createRemoteDriver } from '../../../src/drivers/remote/driver.ts';
import { testDriver } from '../../../src/drivers/test/driver.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { startTestAgent } from '../../helpers/agent.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

interface Result { code: number; stdout: string; stderr: string }

async function virtmon(argv: readonly string[], drivers: readonly HypervisorDriver[] = CLI_DRIVERS): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, {
    version: '0.1.0', driverNames: drivers.map((d) => d.name), open: (uri, o) => openConnection(uri, drivers, o),
    env: { VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' }, uid: 0, homedir: homedir(), cwd: process.cwd(), clock: Date.now,
  });
  // The test driver's CPU time runs with the wall clock from its host's creation (and is omitted while 0).
  return { code, stdout: stdout.replace(/^CPU time: .*\n/mg, ''), stderr };
}

let tmp: ShortTempDir;
before(async () => {
  tmp = await shortTempDir('cli');
  await writeFile(tmp.path('dom.xml'), "<domain type='test'><name>vmt-cli</name><uuid>0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e11</uuid><memory>1048576</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>");
});
after(() => tmp.remove());

const CHAINS: readonly string[] = [
  'list --all',
  'suspend test; domstate test --reason; suspend test; resume test; domstate test --reason; resume test',
  'dominfo test; dominfo 1; dominfo 6695eb01-f6a4-8304-79aa-97f2502e193f',
  'dumpxml test; dumpxml test --inactive',
  'shutdown test; domstate test --reason; destroy test; destroy test; start test; start test; list --all',
  'reboot test; reset test; domid test; domname 1; domuuid test',
  'dominfo nosuch; suspend nosuch; domstate nosuch',
  'nodeinfo; version; hostname',
  'define DIR/dom.xml; list --all; autostart vmt-cli; dominfo vmt-cli; start vmt-cli; undefine vmt-cli; list --all; destroy vmt-cli; list --all',
  'create DIR/dom.xml; list --all --transient; destroy vmt-cli; list --all',
  'save test DIR/test.save; list --all; restore DIR/test.save; domstate test --reason',
  'managedsave test; list --all --managed-save; dominfo test; start test; domstate test --reason',
  'setmem test 1G; dominfo test; setmem test 99G',
  'list --all --name; list --uuid; list --state-running; list --inactive',
];

for (const chain of CHAINS) {
  test(`same output and status through the agent: ${chain}`, async (t) => {
    const line = chain.replaceAll('DIR', tmp.dir);
    const local = await virtmon(['-c', 'test:///default', line]);
    const agent = await startTestAgent();
    t.after(() => agent.stop());
    const remote = await virtmon(['-c', agent.uri(), line]);
    assert.equal(remote.stdout, local.stdout);
    assert.equal(remote.stderr, local.stderr);
    assert.equal(remote.code, local.code);
  });
}

test('domstats through the agent: the same records, fields, order and value types as in-process', async (t) => {
  const agent = await startTestAgent();
  t.after(() => agent.stop());
  // Synthetic counters move with the clock: compare everything but the digits of the values.
  const shape = (r: Result): Result => ({ ...r, stdout: r.stdout.replace(/=\d+(\.\d+)?$/mg, (_m, frac: string | undefined) => (frac === undefined ? '=N' : '=N.N')) });
  for (const line of ['domstats', 'domstats test --cpu-total --balloon', 'domstats --list-paused', 'suspend test; domstats --state --list-paused', 'domstats nosuch']) {
    const local = await virtmon(['-c', 'test:///default', line]);
    const remote = await virtmon(['-c', agent.uri(), line]);
    assert.deepEqual(shape(remote), shape(local), line);
    if (line === 'domstats') assert.match(remote.stdout, /^Domain: 'test'\n {2}state\.state=1\n/);
  }
});

test('-r goes to the read-only socket, and a change fails as in-process -r does', async (t) => {
  const agent = await startTestAgent();
  t.after(() => agent.stop());
  const local = await virtmon(['-r', '-c', 'test:///default', 'list; suspend test']);
  const remote = await virtmon(['-r', '-c', agent.uri(true), 'list; suspend test']);
  assert.deepEqual(remote, local);
  assert.match(remote.stderr, /operation forbidden for read only access/);
});

test('with no agent: virsh\'s "failed to connect to the hypervisor" and the hint to start one', async () => {
  const env = { XDG_RUNTIME_DIR: tmp.path('xdg'), HOME: tmp.dir };
  const drivers = [testDriver, createRemoteDriver(env)];
  const session = await virtmon(['-c', 'qemu:///session', 'list'], drivers);
  assert.equal(session.code, 1);
  assert.equal(session.stdout, '');
  assert.equal(session.stderr, [
    'error: failed to connect to the hypervisor',
    `error: Failed to connect socket to '${tmp.path('xdg')}/virtmon/virtmon-sock': No such file or directory (is the agent running? start it with 'virtmon agent')`,
    '',
  ].join('\n'));
  const explicit = await virtmon(['-c', `qemu+unix:///system?socket=${tmp.path('none')}`, 'list'], drivers);
  assert.equal(explicit.stderr, `error: failed to connect to the hypervisor\nerror: Failed to connect socket to '${tmp.path('none')}': No such file or directory\n`);
  const http = await virtmon(['-c', 'qemu+http://127.0.0.1:1/system', 'list'], drivers);
  assert.equal(http.stderr, "error: failed to connect to the hypervisor\nerror: unable to connect to server at '127.0.0.1:1': Connection refused\n");
  const ssh = await virtmon(['-c', 'qemu+ssh://host/system', 'list'], drivers);
  assert.equal(ssh.stderr, "error: failed to connect to the hypervisor\nerror: invalid argument: transport 'ssh' is not supported (use unix, http or https)\n");
});

test('a qemu:// URI never lands on an agent that serves the test driver', async (t) => {
  const agent = await startTestAgent();
  t.after(() => agent.stop());
  const r = await virtmon(['-c', `qemu+unix:///system?socket=${agent.agent.addresses.socket}`, 'list']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no connection driver available for qemu\+unix:\/\/\/system\?socket=.* \(the agent serves test:\/\/\/default\)/);
});

test('DRIVER+http:// reaches an agent on its TCP listener (with a token)', async (t) => {
  const token = 'cli-through-agent-token';
  const agent = await startTestAgent({ extraYaml: [
    'api: { tcp: "127.0.0.1:0" }',
    `alerts: { auditLog: ${tmp.path('audit.log')} }`,
    `remote: { tokens: [{ name: op, role: operator, hash: "${await hashTokenSecret(token)}" }] }`,
  ].join('\n') });
  t.after(() => agent.stop());
  const tcp = agent.agent.addresses.tcp;
  assert.ok(tcp !== undefined);
  const local = await virtmon(['-c', 'test:///default', 'suspend test; list --all']);
  const remote = await virtmon(['-c', `test+http://${tcp}/default`, 'suspend test; list --all'], [testDriver, createRemoteDriver({ VIRTMON_TOKEN: token })]);
  assert.deepEqual(remote, local);
});
