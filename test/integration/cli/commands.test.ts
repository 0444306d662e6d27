import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVirtmon } from './run-cli.ts';

const C = ['-c', 'test:///default'];
const run = (line: string, ...extra: string[]) => runVirtmon([...C, ...extra, line]);

test('list --all on test:///default', async () => {
  const r = await run('list --all');
  assert.deepEqual(r, { code: 0, stdout: ' Id   Name   State\n----------------------\n 1    test   running\n\n', stderr: '' });
  assert.equal((await run('list --name', '-q')).stdout, 'test\n');
  assert.equal((await run('list --inactive')).stdout, ' Id   Name   State\n--------------------\n\n');
});

test('dominfo test with the test driver values', async () => {
  // The test host boots at open(); later reads of the clock are 100 s on, so the domain has used CPU time.
  let reads = 0;
  const clock = (): number => 1_700_000_000_000 + (reads++ === 0 ? 0 : 100_000);
  const r = await runVirtmon([...C, 'dominfo test; destroy test; dominfo test'], { clock, env: { VIRTMON_CLIENT_CONFIG: '/nonexistent' } });
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  const cpu = /\nCPU time: {7}(\d+\.\d)s\n/.exec(r.stdout);
  assert.ok(cpu !== null && Number(cpu[1]) > 0, 'a running domain has used CPU time');
  assert.equal(r.stdout.replace(/CPU time: {7}\d+\.\ds/, 'CPU time:       Xs'),
    'Id:             1\n' +
    'Name:           test\n' +
    'UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f\n' +
    'OS Type:        linux\n' +
    'State:          running\n' +
    'CPU(s):         2\n' +
    'CPU time:       Xs\n' +
    'Max memory:     8388608 KiB\n' +
    'Used memory:    2097152 KiB\n' +
    'Persistent:     yes\n' +
    'Autostart:      disable\n' +
    'Managed save:   no\n' +
    'Security model: testSecurity\n' +
    'Security DOI:   0\n' +
    'Security label: libvirt-test (enforcing)\n' +
    '\n' +
    "Domain 'test' destroyed\n" +
    '\n' +
    'Id:             -\n' +
    'Name:           test\n' +
    'UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f\n' +
    'OS Type:        linux\n' +
    'State:          shut off\n' +
    'CPU(s):         2\n' +
    'Max memory:     8388608 KiB\n' +
    'Used memory:    2097152 KiB\n' +
    'Persistent:     yes\n' +
    'Autostart:      disable\n' +
    'Managed save:   no\n' +
    'Security model: testSecurity\n' +
    'Security DOI:   0\n' +
    '\n');
});

test('a ; chain shares the connection; every command ends with a blank line', async () => {
  const r = await run('suspend test; domstate test --reason');
  assert.deepEqual(r, { code: 0, stdout: "Domain 'test' suspended\n\npaused (user)\n\n", stderr: '' });
  const words = await runVirtmon([...C, 'suspend', 'test', ';', 'domstate', 'test', '--reason']);
  assert.equal(words.stdout, r.stdout);
  const quiet = await run('suspend test; domstate test --reason; resume 1; domstate 1 --reason', '-q');
  assert.deepEqual(quiet, { code: 0, stdout: 'paused (user)\nrunning (unpaused)\n', stderr: '' });
});

test('the exit status is the last command\'s; errors in virsh wording', async () => {
  const resume = await run('resume test');
  assert.equal(resume.code, 1);
  assert.equal(resume.stderr,
    "error: Failed to resume domain 'test'\nerror: Requested operation is not valid: domain is already running\n");
  assert.equal(resume.stdout, '\n');
  assert.equal((await run('resume test; domstate test')).code, 0);
  assert.equal((await run('domstate test; resume test')).code, 1);
  const start = await run('start test');
  assert.deepEqual([start.code, start.stderr], [1, 'error: Domain is already active\n']);
});

test('an unknown command or option aborts the line before anything runs', async () => {
  const r = await run('suspend test; frob; resume test');
  assert.deepEqual(r, { code: 1, stdout: '', stderr: "error: unknown command: 'frob'\n" });
  const o = await run('list --foo');
  assert.deepEqual(o, { code: 1, stdout: '', stderr: "error: command 'list' doesn't support option --foo\n" });
});

test('an unknown domain', async () => {
  const r = await run('dominfo nope');
  assert.deepEqual(r, { code: 1, stdout: '\n', stderr: "error: failed to get domain 'nope'\n" });
  assert.equal((await run('domname 42')).stderr, "error: failed to get domain '42'\n");
  assert.equal((await run('domid 1')).stderr, "error: failed to get domain '1'\n", 'domid looks up by name or uuid only');
});

test('ids, names, uuids, URI, version, nodeinfo, hostname', async () => {
  const r = await run('domid test; domname 1; domuuid 1; domid 6695eb01-f6a4-8304-79aa-97f2502e193f; uri', '-q');
  assert.equal(r.stdout, '1\ntest\n6695eb01-f6a4-8304-79aa-97f2502e193f\n1\ntest:///default\n');
  const v = await run('version');
  assert.equal(v.stdout, 'Compiled against library: virtmon 0.1.0\nUsing library: virtmon 0.1.0\nUsing API: TEST 0.1.0\n' +
    'Running hypervisor: TEST 0.0.2\n\n');
  const n = await run('nodeinfo');
  assert.match(n.stdout, /^CPU model: {11}i686\nCPU\(s\): {14}16\nCPU frequency: {7}1400 MHz\n/);
  assert.match(n.stdout, /\nMemory size: {9}3145728 KiB\n\n$/);
  const h = await run('hostname', '-q');
  assert.match(h.stdout, /^\S+\n$/);
});

test('define, start, destroy and undefine a domain from a file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'vm1.xml');
  writeFileSync(file, "<domain type='test'><name>vm1</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>" +
    '<os><type>hvm</type></os></domain>\n');
  const r = await run(`define ${file}; list --all; start vm1; domstate vm1 --reason; destroy vm1; undefine vm1; list --all --name`);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout,
    `Domain 'vm1' defined from ${file}\n\n` +
    ' Id   Name   State\n-----------------------\n 1    test   running\n -    vm1    shut off\n\n' +
    "Domain 'vm1' started\n\n" +
    'running (booted)\n\n' +
    "Domain 'vm1' destroyed\n\n" +
    "Domain 'vm1' has been undefined\n\n" +
    'test\n\n');
  const relative = await runVirtmon([...C, 'create vm1.xml --paused; list --name --state-paused'], { cwd: dir, env: { VIRTMON_CLIENT_CONFIG: '/nonexistent' } });
  assert.equal(relative.stdout, "Domain 'vm1' created from vm1.xml\n\nvm1\n\n");
  const missing = await run(`define ${join(dir, 'absent.xml')}`);
  assert.equal(missing.stderr, `error: Failed to open file '${join(dir, 'absent.xml')}': No such file or directory\n`);
  assert.equal(missing.code, 1);
});

test('save and restore through a file, managed save', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const img = join(dir, 'test.save');
  const r = await run(`save test ${img} --paused; domstate test --reason; restore ${img}; domstate test`);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout,
    `\nDomain 'test' saved to ${img}\n\nshut off (saved)\n\nDomain restored from ${img}\n\npaused\n\n`);
  const again = await run(`save test ${img}; save test ${img}`);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, `error: Failed to save domain 'test' to ${img}\nerror: Requested operation is not valid: domain is not running\n`);
  const m = await run('managedsave test; list --all --managed-save; start test; domstate test --reason; managedsave-remove test');
  assert.equal(m.stderr, '');
  assert.equal(m.stdout,
    "\nDomain 'test' state saved by libvirt\n\n" +
    ' Id   Name   State\n--------------------\n -    test   saved\n\n' +
    "Domain 'test' started\n\nrunning (restored)\n\n" +
    "Domain 'test' has no manage save image; removal skipped\n");
  assert.equal((await run('save test x --running --paused')).stderr, 'error: Options --running and --paused are mutually exclusive\n');
});

test('setmem with unit suffixes, autostart, dumpxml', async () => {
  const r = await run('setmem test 1G; dominfo test', '-q');
  assert.match(r.stdout, /\nUsed memory: {4}1048576 KiB\n/);
  const bad = await run('setmem test 10x');
  assert.equal(bad.stderr, "error: Scaled numeric value '10x' for <size> option is malformed or out of range\n" +
    "error: invalid argument: unknown suffix 'x'\n");
  const a = await run('autostart test; list --autostart --name; autostart test --disable');
  assert.equal(a.stdout, "Domain 'test' marked as autostarted\n\ntest\n\nDomain 'test' unmarked as autostarted\n\n");
  const x = await run('dumpxml test', '-q');
  assert.match(x.stdout, /^<domain type='test' id='1'>\n {2}<name>test<\/name>\n/);
  assert.match(x.stdout, /<\/domain>\n$/);
});

test('domstats: virsh layout, groups in libvirt order, domain selection, --list filters', async () => {
  const r = await run('domstats --state --balloon --cpu-total test');
  assert.equal(r.code, 0);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], "Domain: 'test'");
  assert.deepEqual(lines.slice(1, 3), ['  state.state=1', '  state.reason=0']);
  const keys = lines.slice(1).filter((l) => l !== '').map((l) => /^ {2}([^=]+)=\S*$/.exec(l)?.[1]);
  const cpu = keys.indexOf('cpu.time');
  const balloon = keys.indexOf('balloon.current');
  assert.ok(cpu > 1 && balloon > cpu, 'state, then cpu-total, then balloon');
  assert.ok(r.stdout.endsWith('\n\n'));
  const none = await run('domstats --list-shutoff');
  assert.deepEqual([none.code, none.stdout], [0, '\n']);
  const unknown = await run('domstats nope');
  assert.equal(unknown.stderr, "error: failed to get domain 'nope'\n");
});

test('read-only connections refuse changes', async () => {
  const r = await run('suspend test', '-r');
  assert.equal(r.stderr, "error: Failed to suspend domain 'test'\nerror: operation forbidden for read only access\n");
  assert.equal((await run('domstate test', '-r')).code, 0);
});

test('help, --help of every command, -v, -V, -h', async () => {
  const h = await runVirtmon(['help', 'domstate']);
  assert.equal(h.stdout,
    '  NAME\n    domstate - domain state\n\n  SYNOPSIS\n    domstate <domain> [--reason]\n\n' +
    '  DESCRIPTION\n    Returns state about a domain.\n\n' +
    '  OPTIONS\n    [--domain] <string>  domain name, id or uuid\n    --reason         also print reason for the state\n\n\n');
  assert.equal((await runVirtmon(['domstate', '--help'])).stdout, h.stdout);
  for (const cmd of ['list', 'dominfo', 'domstats', 'start', 'save', 'setmem', 'help']) {
    const r = await runVirtmon([`${cmd} --help`]);
    assert.ok(r.stdout.startsWith(`  NAME\n    ${cmd} - `), cmd);
    assert.equal(r.code, 0);
  }
  assert.equal((await runVirtmon(['help', 'nosuch'])).stderr, "error: command or command group 'nosuch' doesn't exist\n");
  assert.match((await runVirtmon(['help', 'monitor'])).stdout, /^ Domain Monitoring \(help keyword 'monitor'\):\n {4}dominfo /);
  // The daemon is listed with the CLI's own commands; in a command string it says how to run it.
  assert.match((await runVirtmon(['help'])).stdout, /\n Virtmon itself \(help keyword 'virsh'\):\n {4}agent +run the virtmon host agent \(daemon\)\n/);
  assert.match((await runVirtmon(['help', 'agent'])).stdout, /^ {2}NAME\n {4}agent - run the virtmon host agent \(daemon\)\n\n {2}SYNOPSIS\n {4}agent \[--config <string>\]\n/);
  assert.deepEqual(await runVirtmon(['agent']), {
    code: 1, stdout: '\n', stderr: "error: 'agent' runs as its own process, not in a command string or the shell: virtmon agent [--config FILE]\n",
  });
  assert.deepEqual(await runVirtmon(['-v']), { code: 0, stdout: '0.1.0\n', stderr: '' });
  assert.match((await runVirtmon(['-V'])).stdout, / Hypervisors: test/);
  assert.match((await runVirtmon(['-h'])).stdout, /-c \| --connect=URI/);
});

test('URIs: default chain, aliases from the client config, bad URIs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cfg = join(dir, 'client.yaml');
  writeFileSync(cfg, 'uri_default: dflt\nuri_aliases:\n  - dflt=test:///default\n');
  const viaConfig = await runVirtmon(['uri'], { env: { VIRTMON_CLIENT_CONFIG: cfg } });
  assert.equal(viaConfig.stdout, 'test:///default\n\n');
  const viaFallback = await runVirtmon(['-q', 'uri'], { env: { VIRTMON_CLIENT_CONFIG: join(dir, 'absent.yaml') } });
  assert.equal(viaFallback.stdout, 'test:///default\n');
  const viaEnv = await runVirtmon(['uri'], { env: { VIRTMON_CLIENT_CONFIG: cfg, VIRTMON_DEFAULT_URI: 'bogus:///x' } });
  assert.deepEqual(viaEnv, { code: 1, stdout: '\n', stderr: 'error: failed to connect to the hypervisor\nerror: no connection driver available for bogus:///x\n' });
  const bad = await runVirtmon(['-c', 'bogus:///x', 'list']);
  assert.deepEqual(bad, { code: 1, stdout: '', stderr: 'error: failed to connect to the hypervisor\nerror: no connection driver available for bogus:///x\n' });
  writeFileSync(cfg, 'uri_default: test:///default\nfoo: 1\n');
  const broken = await runVirtmon(['list'], { env: { VIRTMON_CLIENT_CONFIG: cfg } });
  assert.deepEqual(broken, { code: 1, stdout: '', stderr: `error: invalid configuration: ${cfg}:2: foo: unknown key 'foo' (known keys: uri_default, uri_aliases, token, token_file, tls_ca, tls_cert, tls_key)\n` });
});

test('the shell: one connection for every line, errors do not end it, quit does', async () => {
  const r = await runVirtmon(C, { lines: ['suspend test', '', 'frob', 'domstate test --reason; quit; uri', 'uri'] });
  assert.deepEqual(r, {
    code: 0,
    stdout: "Domain 'test' suspended\n\npaused (user)\n\n",
    stderr: "error: unknown command: 'frob'\n",
  });
  const tty = await runVirtmon(['-r', ...C], { lines: ['uri'], interactive: true });
  assert.equal(tty.stdout, "Welcome to virtmon, the virtualization interactive terminal.\n\n" +
    "Type:  'help' for help with commands\n       'quit' to quit\n\n" +
    'virtmon > test:///default\n\nvirtmon > \n');
});
