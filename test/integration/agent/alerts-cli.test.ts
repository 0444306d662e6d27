/**
 * `virtmon -c URI alerts` through a test agent with a rules file: the CLI reads GET /v1/alerts over the
 * remote driver (also on the read-only socket) and prints the live states as a table; a rule in
 * failure shows when it changed and its value, a quiet one shows okay. Without an agent it says so.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from '../../../src/cli/run.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import { CLI_DRIVERS } from '../../../src/drivers/index.ts';
import { startTestAgent, type TestAgent } from '../../helpers/agent.ts';

interface Result { code: number; stdout: string; stderr: string }

async function virtmon(argv: readonly string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, {
    version: '0.1.0', driverNames: CLI_DRIVERS.map((d) => d.name), open: (uri, o) => openConnection(uri, CLI_DRIVERS, o),
    env: { VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' }, uid: 0, homedir: homedir(), cwd: process.cwd(), clock: Date.now,
  });
  return { code, stdout, stderr };
}

const RULES = `rules:
  - name: busy
    metric: libvirt_domain_info_cpu_time_seconds_total
    failure: { max: 0.000001 }
    dryRun: true
    actions:
      failure: [log]
  - name: calm
    metric: libvirt_domain_info_cpu_time_seconds_total
    failure: { max: 1000000 }
`;

let ta: TestAgent;
let dir: string;

before(async () => {
  // The rules file must exist before the agent reads it.
  dir = await mkdtemp(join(tmpdir(), 'vmt-alerts-cli-'));
  await writeFile(join(dir, 'rules.yml'), RULES);
  ta = await startTestAgent({ extraYaml: `alerts: { rules: ${join(dir, 'rules.yml')}, auditLog: ${join(dir, 'audit.log')} }` });
});
after(async () => {
  await ta?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('alerts without --rules prints the agent\'s live rule states', async () => {
  let r: Result = { code: -1, stdout: '', stderr: '' };
  for (let i = 0; i < 100; i++) {
    r = await virtmon(['-c', ta.uri(), 'alerts']);
    if (/ busy +test +failure /.test(r.stdout)) break;
    await sleep(100);
  }
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  const lines = r.stdout.split('\n');
  assert.match(lines[0] ?? '', /^ Rule +Domain +State +Since +Value$/);
  assert.match(lines[1] ?? '', /^-+$/);
  assert.match(lines[2] ?? '', /^ busy +test +failure +\d+s ago +\d[\d.e+-]*$/);
  assert.match(lines[3] ?? '', /^ calm +test +okay +- +\d[\d.e+-]*$/);
  assert.equal(lines.length, 6, r.stdout);

  // A read route: the read-only socket answers the same table.
  const ro = await virtmon(['-r', '-c', ta.uri(true), 'alerts']);
  assert.equal(ro.code, 0, ro.stderr);
  assert.match(ro.stdout, /\n busy +test +failure +\d+s ago /);
});

test('alerts without --rules on a connection that is not an agent fails and says why', async () => {
  assert.deepEqual(await virtmon(['-c', 'test:///default', 'alerts']), {
    code: 1, stdout: '\n',
    stderr: 'error: test:///default is not an agent connection: live alert states come from a virtmon agent (check a file with --rules FILE)\n',
  });
});
