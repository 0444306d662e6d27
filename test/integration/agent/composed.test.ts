/**
 * The agent as users run it: every part wired by components.ts on one test-driver agent. /metrics
 * renders the snapshot with the self metrics, the status page and /v1/alerts show a dry-run rule
 * firing, a lifecycle op through the API is audited and counted, and net-snmp's snmpget reads the
 * guest table from the SNMP bridge the agent started.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { startTestAgent, type TestAgent } from '../../helpers/agent.ts';
import { httpRequest } from '../../helpers/http-request.ts';
import { runTool } from '../../helpers/snmp-tools.ts';

let ta: TestAgent;

const RULES = `rules:
  - name: busy
    metric: libvirt_domain_info_cpu_time_seconds_total
    failure: { max: 0.000001 }
    dryRun: true
    actions:
      failure: [suspend, log]
`;

before(async () => {
  // The rules file must exist before the agent reads it; the helper's temp dir is made inside it.
  const rulesFile = `/tmp/virtmon-composed-rules-${process.pid}.yml`;
  await writeFile(rulesFile, RULES);
  ta = await startTestAgent({
    extraYaml: [
      `alerts: { rules: ${rulesFile}, auditLog: /tmp/virtmon-composed-audit-${process.pid}.log }`,
      'snmp: { enabled: true, listen: "127.0.0.1:0" }',
      // Nothing listens on the discard port: every export fails, and /metrics says so.
      'otel: { enabled: true, endpoint: "http://127.0.0.1:9/v1/metrics", interval: 1s, timeout: 500ms }',
    ].join('\n'),
  });
});
after(async () => {
  await ta.stop();
  const { rm } = await import('node:fs/promises');
  await rm(`/tmp/virtmon-composed-rules-${process.pid}.yml`, { force: true });
  await rm(`/tmp/virtmon-composed-audit-${process.pid}.log`, { force: true });
});

const http = httpRequest;

const httpPort = (): number => Number(ta.agent.addresses.http.split(':').pop());

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('/metrics carries the domains of the snapshot and the self metrics', async () => {
  const text = await until('a scrape with domain series', async () => {
    const r = await http({ port: httpPort(), path: '/metrics' });
    return r.status === 200 && r.body.includes('libvirt_domain_info_state{') ? r.body : undefined;
  });
  assert.match(text, /^libvirt_up 1$/m);
  assert.match(text, /^libvirt_domain_info_state\{domain="test".*\} 1$/m);
  assert.match(text, /^virtmon_collector_success\{collector="cpu"\} 1$/m);
  assert.match(text, /^virtmon_collection_cycle_duration_seconds_count \d+$/m);
});

test('a dry-run rule fires: /v1/alerts and the status page show it, the audit log has the dry-run, the counter counts it', async () => {
  const alerts = await until('the rule in failure', async () => {
    const r = await http({ socketPath: ta.agent.addresses.socket, path: '/v1/alerts' });
    const body = JSON.parse(r.body) as { rules: { name: string }[]; states: { rule: string; domain: string; severity: string }[] };
    return body.states.some((s) => s.rule === 'busy' && s.domain === 'test' && s.severity === 'failure') ? body : undefined;
  });
  assert.deepEqual(alerts.rules.map((r) => r.name), ['busy']);
  const audit = await until('the dry-run audit line', async () => {
    const text = await readFile(`/tmp/virtmon-composed-audit-${process.pid}.log`, 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { source: string; action: string; domain: string; outcome: string });
    return lines.some((l) => l.source === 'rule' && l.action === 'suspend' && l.domain === 'test') ? lines : undefined;
  });
  assert.equal(audit.find((l) => l.source === 'rule' && l.action === 'suspend')?.outcome, 'dry-run');
  const status = JSON.parse((await http({ port: httpPort(), path: '/status.json' })).body) as { alerts: { name: string; state: string }[]; actions: { action: string; result: string }[] };
  assert.ok(status.alerts.some((a) => a.name === 'busy' && a.state === 'firing'), JSON.stringify(status.alerts));
  assert.ok(status.actions.some((a) => a.action === 'suspend' && a.result === 'dry-run'));
  const metrics = (await http({ port: httpPort(), path: '/metrics' })).body;
  assert.match(metrics, /^virtmon_remediation_actions_total\{domain="test",action="suspend",result="dry_run"\} [1-9]\d*$/m);
  const page = await http({ port: httpPort(), path: '/' });
  assert.equal(page.status, 200);
  assert.match(page.body, /<html/i);
});

test('a suspend through the control API is audited as the api source, and the domain really is paused', async () => {
  const r = await http({ socketPath: ta.agent.addresses.socket, method: 'POST', path: '/v1/domains/test/suspend' });
  assert.equal(r.status, 200, r.body);
  const state = JSON.parse((await http({ socketPath: ta.agent.addresses.socket, path: '/v1/domains/test/state' })).body) as { state: string };
  assert.match(JSON.stringify(state), /paused/);
  const lines = (await readFile(`/tmp/virtmon-composed-audit-${process.pid}.log`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { source: string; action: string; outcome: string });
  assert.ok(lines.some((l) => l.source === 'api' && l.action === 'suspend' && l.outcome === 'done'));
  await http({ socketPath: ta.agent.addresses.socket, method: 'POST', path: '/v1/domains/test/resume' });
});

test('OTLP push runs as a component; its failed exports are counted on /metrics', async () => {
  const text = await until('a failed export counted', async () => {
    const body = (await http({ port: httpPort(), path: '/metrics' })).body;
    return /^virtmon_otlp_exports_total\{result="failed"\} [1-9]\d*$/m.test(body) ? body : undefined;
  });
  assert.match(text, /^virtmon_otlp_exports_total\{result="ok"\} 0$/m);
});

test('snmpget reads the guest name from the SNMP bridge the agent started', async () => {
  const bridge = ta.agent.context.links.snmp;
  assert.ok(bridge !== undefined, 'the SNMP component bound no bridge');
  const port = bridge.address()?.port;
  assert.ok(port !== undefined && port > 0);
  const run = await runTool('snmpwalk', ['-v2c', '-c', 'public', '-On', `127.0.0.1:${port}`, '1.3.6.1.4.1.36957.1.1.1.2']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /STRING: "test"/);
});
