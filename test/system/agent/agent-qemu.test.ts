// The agent on real QEMU (TCG test guest): the CLI drives a guest's whole lifecycle through the
// agent's socket with the same output and status as the in-process test driver; then the agent is
// killed with SIGKILL while two guests run, started again, finds both (same QEMU processes, same ids)
// and controls them (its /metrics counting the QMP commands); a SIGTERM stop leaves them running too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { rm, writeFile } from 'node:fs/promises';
import { runCli } from '../../../src/cli/run.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import { CLI_DRIVERS } from '../../../src/drivers/index.ts';
import { readProcStat } from '../../../src/drivers/qemu/proc.ts';
import { childEnv, startAgentProcess, type AgentProcess } from '../../helpers/agent-process.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { guestXml, pidsReferencing, qemuDriverEnv, rawDisk, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';

interface Result { code: number; stdout: string; stderr: string }

async function virtmon(uri: string, line: string): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['-c', uri, line], { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, {
    version: '0.1.0', driverNames: CLI_DRIVERS.map((d) => d.name), open: (u, o) => openConnection(u, CLI_DRIVERS, o),
    env: { VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' }, uid: 0, homedir: homedir(), cwd: process.cwd(), clock: Date.now,
  });
  return { code, stdout, stderr };
}

describe('virtmon agent on qemu:///system', () => {
  let env: QemuDriverEnv;
  let agent: AgentProcess | undefined;
  let configFile: string;
  const names = ['a', 'b'].map((s) => `vmtag${process.pid}${s}`);
  const xmlFiles: string[] = [];
  const serials: string[] = [];
  const uri = (): string => `qemu:///system?socket=${env.tmp.path('arun/virtmon-sock')}`;
  const start = async (): Promise<AgentProcess> => {
    agent = await startAgentProcess(configFile, childEnv());
    return agent;
  };

  before(async () => {
    env = await qemuDriverEnv('ag');
    const guest = locateTestGuest();
    for (const [i, name] of names.entries()) {
      serials.push(env.tmp.path(`serial${i}.log`));
      const file = env.tmp.path(`${name}.xml`);
      await writeFile(file, guestXml({
        name, uuid: `0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e1${i}`, memoryMiB: 96,
        guest: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append() },
        disk: await rawDisk(env.tmp.path(`disk${i}.raw`)), serialLog: serials[i] ?? '',
      }));
      xmlFiles.push(file);
    }
    configFile = env.tmp.path('virtmon.yaml');
    await writeFile(configFile, [
      'uri: qemu:///system',
      'log: { level: info, format: json }',
      'http: { listen: "127.0.0.1:0" }',
      'collection: { interval: 2s }',
      'agent:',
      `  runDir: ${env.tmp.path('arun')}`,
      `  driver: ${JSON.stringify(env.settings)}`,
      `alerts: { auditLog: ${env.tmp.path('audit.log')} }`,
    ].join('\n'));
    await start();
  });

  after(async () => {
    await agent?.stop('SIGKILL');
    await env?.sweep();
  });

  test('the CLI runs a guest\'s lifecycle through the agent with the in-process test driver\'s output', async () => {
    const name = names[0] ?? '';
    const image = env.tmp.path('a.save');
    const steps = [
      `define ${xmlFiles[0] ?? ''}`, `start ${name}`, 'WAIT-UP', `suspend ${name}`, `domstate ${name} --reason`, `suspend ${name}`,
      `resume ${name}`, `domstate ${name} --reason`, `resume ${name}`, `save ${name} ${image}`, `domstate ${name} --reason`,
      `restore ${image}`, `domstate ${name} --reason`, 'list --all', `shutdown ${name}`, 'WAIT-SHUTOFF', `domstate ${name} --reason`,
      `shutdown ${name}`, `start ${name}`, `destroy ${name}`, `domstate ${name} --reason`, `destroy ${name}`, `undefine ${name}`,
      'list --all',
    ];
    const commands = steps.filter((s) => !s.startsWith('WAIT'));
    // Expected output of command k: the in-process chain of commands 0..k minus the chain of 0..k-1,
    // on a test host whose own domain `test` was removed first (so both hosts list the guest alone).
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
        await waitForSerial(serials[0] ?? '', locateTestGuest().manifest.markers.up, 120_000);
        continue;
      }
      if (step === 'WAIT-SHUTOFF') {
        await pollUntil('the guest to power off', 120_000, async () => ((await virtmon(uri(), `domstate ${name}`)).stdout === 'shut off\n\n' ? true : undefined), 500);
        continue;
      }
      const got = await virtmon(uri(), step);
      // The test host's `test` domain is in the in-process list; the agent's host has the guest alone.
      const want = expected[k++];
      assert.ok(want !== undefined);
      // Ids are per-host counters: the test host had used one for `test` already.
      const ids = (r: Result): Result => ({ ...r, stdout: r.stdout.replace(/^ \d+ {4}/mg, ' N    ') });
      assert.deepEqual(ids(got), ids(want), step);
    }
  });

  test('SIGKILL of the agent while two guests run: a new agent finds both, kills nothing, controls them', async () => {
    for (const file of xmlFiles) assert.equal((await virtmon(uri(), `create ${file}`)).code, 0);
    await waitForSerial(serials[0] ?? '', locateTestGuest().manifest.markers.up, 120_000);
    const before = await pidsReferencing(env.tmp.dir);
    assert.equal(before.length, 2);
    const ticks = await Promise.all(before.map(async (pid) => (await readProcStat(pid))?.startTicks));
    const listBefore = (await virtmon(uri(), 'list')).stdout;

    assert.equal(await agent?.stop('SIGKILL'), null);
    await start();
    assert.deepEqual((await pidsReferencing(env.tmp.dir)).sort(), [...before].sort());
    assert.deepEqual(await Promise.all(before.map(async (pid) => (await readProcStat(pid))?.startTicks)), ticks);
    assert.equal((await virtmon(uri(), 'list')).stdout, listBefore);
    const b = names[1] ?? '';
    assert.deepEqual(await virtmon(uri(), `suspend ${b}; domstate ${b} --reason; resume ${b}; domstate ${b} --reason`), {
      code: 0, stdout: `Domain '${b}' suspended\n\npaused (user)\n\nDomain '${b}' resumed\n\nrunning (unpaused)\n\n`, stderr: '',
    });

    // domstats through the agent: the agent samples its QEMUs (/proc, cgroups, QMP) and the CLI prints them.
    const stats = await virtmon(uri(), `domstats ${b} --state --cpu-total --balloon --block`);
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout, new RegExp(`^Domain: '${b}'\n {2}state[.]state=1\n {2}state[.]reason=5\n {2}cpu[.]time=\\d+\n`));
    assert.match(stats.stdout, /\n {2}balloon\.current=98304\n/);
    assert.match(stats.stdout, /\n {2}block\.0\.name=vda\n/);

    // The QMP round trips of this agent are on its /metrics: suspend and resume sent one stop and one cont,
    // the reconnect and the sampling sent query-status and query-blockstats; nothing timed out.
    const metrics = await (await fetch(`http://${agent?.ready.http ?? ''}/metrics`)).text();
    assert.match(metrics, /^virtmon_qmp_command_duration_seconds_count\{command="stop"\} 1$/m);
    assert.match(metrics, /^virtmon_qmp_command_duration_seconds_count\{command="cont"\} 1$/m);
    assert.match(metrics, /^virtmon_qmp_command_duration_seconds_bucket\{le="30",command="query-status"\} [1-9]\d*$/m);
    assert.match(metrics, /^virtmon_qmp_command_duration_seconds_count\{command="query-blockstats"\} [1-9]\d*$/m);
    assert.doesNotMatch(metrics, /^virtmon_qmp_timeouts_total\{/m);

    // A clean stop leaves them running too, and a third agent finds them again.
    assert.equal(await agent?.stop('SIGTERM'), 0);
    assert.deepEqual((await pidsReferencing(env.tmp.dir)).sort(), [...before].sort());
    await start();
    assert.equal((await virtmon(uri(), 'list')).stdout, listBefore);
    for (const name of names) assert.equal((await virtmon(uri(), `destroy ${name}`)).stdout, `Domain '${name}' destroyed\n\n`);
    assert.deepEqual(await virtmon(uri(), 'list --all'), { code: 0, stdout: ' Id   Name   State\n--------------------\n\n', stderr: '' });
  });
});
