// Remote management on real QEMU (TCG test guest): the CLI drives a guest's whole lifecycle through
// the agent's TCP listener over TLS with a token (`qemu+https://127.0.0.1:PORT/system`), and every
// command prints what the in-process test driver prints; a definition naming a file outside the
// image roots is refused and defines nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import { runCli } from '../../../src/cli/run.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import type { HypervisorDriver } from '../../../src/drivers/driver.ts';
import { createRemoteDriver } from '../../../src/drivers/remote/driver.ts';
import { testDriver } from '../../../src/drivers/test/driver.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { childEnv, startAgentProcess, type AgentProcess } from '../../helpers/agent-process.ts';
import { makeTestPki, type TestPki } from '../../helpers/certs.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { guestXml, rawDisk, qemuDriverEnv, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';

interface Result { code: number; stdout: string; stderr: string }
const ADMIN = 'remote-qemu-admin-token';

describe('the CLI against an agent over qemu+https:// with a token', () => {
  let env: QemuDriverEnv;
  let pki: TestPki;
  let agent: AgentProcess | undefined;
  let drivers: readonly HypervisorDriver[];
  const name = `vmtrq${process.pid}`;
  let xmlFile = '';
  let serial = '';
  let uri = '';

  const virtmon = async (u: string, line: string): Promise<Result> => {
    let stdout = '';
    let stderr = '';
    const ds = u.startsWith('test:') ? [testDriver] : drivers;
    const code = await runCli(['-c', u, line], { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, {
      version: '0.1.0', driverNames: ds.map((d) => d.name), open: (x, o) => openConnection(x, ds, o),
      env: { VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' }, uid: 0, homedir: homedir(), cwd: process.cwd(), clock: Date.now,
    });
    return { code, stdout, stderr };
  };

  before(async () => {
    env = await qemuDriverEnv('rq');
    pki = makeTestPki();
    const guest = locateTestGuest();
    serial = env.tmp.path('serial.log');
    xmlFile = env.tmp.path(`${name}.xml`);
    await writeFile(xmlFile, guestXml({
      name, uuid: '0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e21', memoryMiB: 96,
      guest: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append() },
      disk: await rawDisk(env.tmp.path('disk.raw')), serialLog: serial,
    }));
    const configFile = env.tmp.path('virtmon.yaml');
    await writeFile(configFile, [
      'uri: qemu:///system',
      'log: { level: info, format: json }',
      'http: { listen: "127.0.0.1:0" }',
      'api: { tcp: "127.0.0.1:0" }',
      'collection: { interval: 2s }',
      'agent:',
      `  runDir: ${env.tmp.path('arun')}`,
      `  driver: ${JSON.stringify(env.settings)}`,
      `alerts: { auditLog: ${env.tmp.path('audit.log')} }`,
      'remote:',
      `  tls: { cert: ${pki.serverCert}, key: ${pki.serverKey} }`,
      `  tokens: [{ name: admin, role: admin, hash: "${await hashTokenSecret(ADMIN)}" }]`,
      `  imageRoots: [${env.tmp.dir}, ${dirname(guest.kernel)}]`,
    ].join('\n'));
    agent = await startAgentProcess(configFile, childEnv());
    const tcp = (agent.ready as { tcp?: string }).tcp;
    assert.ok(tcp !== undefined, 'the agent listens on TCP');
    uri = `qemu+https://${tcp}/system`;
    drivers = [testDriver, createRemoteDriver({}, () => ({ token: ADMIN, ca: pki.read(pki.caCert) }))];
  });

  after(async () => {
    await agent?.stop('SIGKILL');
    await env?.sweep();
    pki?.remove();
  });

  test('a guest\'s whole lifecycle over https prints what the in-process test driver prints', async () => {
    const image = env.tmp.path('a.save');
    const steps = [
      `define ${xmlFile}`, `start ${name}`, 'WAIT-UP', `suspend ${name}`, `domstate ${name} --reason`, `suspend ${name}`,
      `resume ${name}`, `domstate ${name} --reason`, `resume ${name}`, `save ${name} ${image}`, `domstate ${name} --reason`,
      `restore ${image}`, `domstate ${name} --reason`, 'list --all', `shutdown ${name}`, 'WAIT-SHUTOFF', `domstate ${name} --reason`,
      `shutdown ${name}`, `start ${name}`, `destroy ${name}`, `domstate ${name} --reason`, `destroy ${name}`, `undefine ${name}`,
      'list --all',
    ];
    const commands = steps.filter((s) => !s.startsWith('WAIT'));
    const expected: Result[] = [];
    const prefix = ['destroy test', 'undefine test'];
    let previous = await virtmon('test:///default', prefix.join('; '));
    for (let k = 0; k < commands.length; k++) {
      await rm(image, { force: true });
      const now = await virtmon('test:///default', [...prefix, ...commands.slice(0, k + 1)].join('; '));
      expected.push({ code: now.code, stdout: now.stdout.slice(previous.stdout.length), stderr: now.stderr.slice(previous.stderr.length) });
      previous = now;
    }
    await rm(image, { force: true });
    let k = 0;
    for (const step of steps) {
      if (step === 'WAIT-UP') {
        await waitForSerial(serial, locateTestGuest().manifest.markers.up, 120_000);
        continue;
      }
      if (step === 'WAIT-SHUTOFF') {
        await pollUntil('the guest to power off', 120_000, async () => ((await virtmon(uri, `domstate ${name}`)).stdout === 'shut off\n\n' ? true : undefined), 500);
        continue;
      }
      const got = await virtmon(uri, step);
      const want = expected[k++];
      assert.ok(want !== undefined);
      const ids = (r: Result): Result => ({ ...r, stdout: r.stdout.replace(/^ \d+ {4}/mg, ' N    ') });
      assert.deepEqual(ids(got), ids(want), step);
    }
  });

  test('a definition with a disk outside the image roots is refused and defines nothing', async () => {
    const evil = env.tmp.path('evil.xml');
    await writeFile(evil, guestXml({ name: `${name}e`, uuid: '0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e22', memoryMiB: 96, disk: '/etc/shadow', serialLog: serial }));
    const r = await virtmon(uri, `define ${evil}`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /access denied: disk vda source '\/etc\/shadow' is outside the image roots/);
    assert.equal((await virtmon(uri, 'list --all --name')).stdout, '\n');
  });
});
