import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { runCli } from '../../../src/cli/run.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import type { HypervisorDriver } from '../../../src/drivers/driver.ts';
import { createRemoteDriver } from '../../../src/drivers/remote/driver.ts';
import type { AgentCredentials } from '../../../src/drivers/remote/transport.ts';
import { testDriver } from '../../../src/drivers/test/driver.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { startTestAgent, type TestAgent } from '../../helpers/agent.ts';
import { makeTestPki, type TestPki } from '../../helpers/certs.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const OP = 'https-operator-token';
const RO = 'https-readonly-token';
let pki: TestPki;
let tmp: ShortTempDir;
let agent: TestAgent;
before(async () => {
  pki = makeTestPki();
  tmp = await shortTempDir('rh');
  agent = await startTestAgent({ extraYaml: [
    'api: { tcp: "127.0.0.1:0" }',
    `alerts: { auditLog: ${tmp.path('audit.log')} }`,
    'remote:',
    `  tls: { cert: ${pki.serverCert}, key: ${pki.serverKey} }`,
    '  tokens:',
    `    - { name: op, role: operator, hash: "${await hashTokenSecret(OP)}" }`,
    `    - { name: ro, role: read-only, hash: "${await hashTokenSecret(RO, 'scrypt')}" }`,
  ].join('\n') });
});
after(async () => { await agent.stop(); await tmp.remove(); pki.remove(); });

async function virtmon(argv: readonly string[], credentials?: AgentCredentials): Promise<{ code: number; stdout: string; stderr: string }> {
  const drivers: readonly HypervisorDriver[] = [testDriver, createRemoteDriver({}, () => ({ ca: pki.read(pki.caCert), ...credentials }))];
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, {
    version: '0.1.0', driverNames: drivers.map((d) => d.name), open: (uri, o) => openConnection(uri, drivers, o),
    env: { VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' }, uid: 0, homedir: homedir(), cwd: process.cwd(), clock: Date.now,
  });
  return { code, stdout: stdout.replace(/^CPU time: .*\n/mg, ''), stderr };
}

test('test+https:// with an operator token prints what the in-process driver prints; changes are audited with the token name', async () => {
  const uri = `test+https://${agent.agent.addresses.tcp ?? ''}/default`;
  const chain = 'suspend test; domstate test --reason; resume test; dominfo test; list --all';
  const local = await virtmon(['-c', 'test:///default', chain]);
  const remote = await virtmon(['-c', uri, chain], { token: OP });
  assert.deepEqual(remote, local);
  const audit = readFileSync(tmp.path('audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { actor?: string; action: string; outcome: string });
  // The guarded Actions service audits the action with the token's name; the API audits the request.
  assert.deepEqual(audit.map((a) => [a.actor, a.action, a.outcome]), [
    ['op', 'suspend', 'done'],
    ['op', 'http POST /v1/domains/:dom/suspend', 'done'],
    ['op', 'resume', 'done'],
    ['op', 'http POST /v1/domains/:dom/resume', 'done'],
  ]);
});

test('no token → authentication failed; read-only token → access denied on destroy; wrong CA → TLS error', async () => {
  const uri = `test+https://${agent.agent.addresses.tcp ?? ''}/default`;
  const none = await virtmon(['-c', uri, 'list']);
  assert.deepEqual([none.code, none.stderr], [1, 'error: failed to connect to the hypervisor\nerror: authentication failed: no token (send "Authorization: Bearer <token>")\n']);
  const ro = await virtmon(['-c', uri, 'destroy test'], { token: RO });
  assert.deepEqual([ro.code, ro.stderr], [1, "error: Failed to destroy domain 'test'\nerror: access denied: token 'ro' has role read-only; this operation needs operator\n"]);
  assert.equal((await virtmon(['-c', uri, 'domstate test'], { token: RO })).stdout, 'running\n\n');
  const wrongCa = await virtmon(['-c', uri, 'list'], { token: OP, ca: pki.read(pki.rogueCert) });
  assert.equal(wrongCa.code, 1);
  assert.match(wrongCa.stderr, /certificate/i);
  const plain = await virtmon(['-c', `test+http://${agent.agent.addresses.tcp ?? ''}/default`, 'list'], { token: OP });
  assert.equal(plain.code, 1);
});
