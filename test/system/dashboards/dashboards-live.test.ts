/**
 * Issue 10 must-show: two `virtmon agent --config FILE` child processes — one on test:///default, one on
 * qemu:///system running the test guest under TCG (one agent serves one URI) — each with a dry-run alert
 * rule that fires, so virtmon_remediation_actions_total counts actions. A real Prometheus (Debian 2.42,
 * scrape every 1 s, job `virtmon`, temp TSDB, free loopback port) scrapes both; after both targets are up
 * and two scrape intervals plus the rate() window have passed, every panel query and every
 * template-variable query of both shipped dashboards returns data through Prometheus' HTTP API, with
 * $__rate_interval, $__interval, $__range, $host and $domain substituted. The rule file is loaded too:
 * every rule evaluates without error.
 */
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { runCli } from '../../../src/cli/run.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import { CLI_DRIVERS } from '../../../src/drivers/index.ts';
import { childEnv, startAgentProcess, type AgentProcess } from '../../helpers/agent-process.ts';
import { empties, PromApi, queriesOf, runQueries, type QueryOutcome } from '../../helpers/dashboard-live.ts';
import { substitute } from '../../helpers/dashboard-queries.ts';
import { startPrometheusProcess, type PrometheusProcess } from '../../helpers/prometheus-process.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { guestXml, qemuDriverEnv, rawDisk, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';

const ROOT = new URL('../../../', import.meta.url);
const RULES = fileURLToPath(new URL('alerts/virtmon.rules.yml', ROOT));
const SCRAPE_SECONDS = 1;
/** Grafana's $__rate_interval as dashboard-queries.ts substitutes it (4 scrape intervals). */
const RATE_WINDOW_SECONDS = 4 * SCRAPE_SECONDS;
const QEMU_NAME = `vmtdash${process.pid}`;

// Any running domain has used more than a microsecond of CPU: the rule fires on every cycle, and being
// dry-run it only audits and counts (result="dry_run") without touching the domain.
const AGENT_RULES = `rules:
  - name: busy
    metric: libvirt_domain_info_cpu_time_seconds_total
    failure: { max: 0.000001 }
    dryRun: true
    actions:
      failure: [suspend, log]
`;

let env: QemuDriverEnv | undefined;
const agents: AgentProcess[] = [];
let prom: PrometheusProcess | undefined;
let api: PromApi;
let testHost = '';
let qemuHost = '';

/** The agent's config: its URI, a temp run dir, 2 s collection, the dry-run rule, extra lines. */
async function agentConfig(e: QemuDriverEnv, tag: string, uri: string, extra: readonly string[]): Promise<string> {
  const rules = e.tmp.path(`${tag}-rules.yml`);
  await writeFile(rules, AGENT_RULES);
  const file = e.tmp.path(`${tag}.yaml`);
  await writeFile(file, [
    `uri: ${uri}`,
    'log: { level: info, format: json }',
    'http: { listen: "127.0.0.1:0" }',
    // A domain's groups expire 2 collection intervals after their last success (budget: one interval).
    // 2 s gives a TCG guest on a loaded 2-core machine room for one slow cycle without a scrape missing
    // its series; Prometheus still scrapes every second.
    'collection: { interval: 2s }',
    `alerts: { rules: ${rules}, auditLog: ${e.tmp.path(`${tag}-audit.log`)} }`,
    ...extra,
  ].join('\n'));
  return file;
}

/** Runs one CLI line against `uri` in-process (the agent's socket for qemu). */
async function virtmon(uri: string, line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['-c', uri, line], { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, {
    version: '0.1.0', driverNames: CLI_DRIVERS.map((d) => d.name), open: (u, o) => openConnection(u, CLI_DRIVERS, o),
    env: { VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' }, uid: 0, homedir: homedir(), cwd: process.cwd(), clock: Date.now,
  });
  return { code, stdout, stderr };
}

before(async () => {
  const e = await qemuDriverEnv('dl');
  env = e;
  const guest = locateTestGuest();
  const net = `10.${150 + (process.pid % 50)}.${(process.pid + 11) % 250}`;
  const xml = e.tmp.path(`${QEMU_NAME}.xml`);
  await writeFile(xml, guestXml({
    name: QEMU_NAME, memoryMiB: 96,
    guest: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append({ guestCidr: `${net}.2/24`, hostIp: `${net}.1` }) },
    disk: await rawDisk(e.tmp.path('disk.raw')),
    tap: { name: `${e.tapPrefix}g`, hostCidr: `${net}.1/24` },
    serialLog: e.tmp.path('serial.log'),
  }));

  agents.push(await startAgentProcess(await agentConfig(e, 't', 'test:///default', [`agent: { runDir: ${e.tmp.path('trun')} }`]), childEnv()));
  agents.push(await startAgentProcess(await agentConfig(e, 'q', 'qemu:///system', [
    `agent: { runDir: ${e.tmp.path('qrun')}, driver: ${JSON.stringify(e.settings)} }`,
  ]), childEnv()));
  const qemuAgent = agents[1];
  assert.ok(qemuAgent !== undefined);
  // The guest is created through the qemu agent (the agent owns the driver), as an operator would.
  const created = await virtmon(`qemu:///system?socket=${qemuAgent.ready.socket}`, `create ${xml}`);
  assert.equal(created.code, 0, created.stderr);
  [testHost, qemuHost] = agents.map((a) => a.ready.http.replace(/^https?:\/\//, '')) as [string, string];
  await waitForSerial(e.tmp.path('serial.log'), guest.manifest.markers.up, 120_000);

  prom = await startPrometheusProcess({ targets: [testHost, qemuHost], ruleFiles: [RULES] });
  api = new PromApi(prom.url);
  // Both targets up and both agents' rules have acted (counted on /metrics and scraped) …
  await pollUntil('both targets scraped', 60_000, async () => ((await api.instant('count(up{job="virtmon"} == 1) == 2')) > 0 ? true : undefined), 250);
  await pollUntil('remediation actions counted on both agents', 60_000,
    async () => ((await api.instant('count(count by (instance) (virtmon_remediation_actions_total{job="virtmon",result="dry_run"} > 0)) == 2')) > 0 ? true : undefined), 250);
  // … then two more scrape intervals past the rate() window, so every rate() has two samples in it.
  await new Promise((resolve) => { setTimeout(resolve, (RATE_WINDOW_SECONDS + 2 * SCRAPE_SECONDS) * 1000 + 500); });
});

after(async () => {
  await prom?.stop();
  for (const a of agents) await a.stop('SIGTERM');
  await env?.sweep();
});

function report(outcomes: readonly QueryOutcome[]): string {
  // The agents' warnings say why a series went missing (a collector failing, a domain over budget).
  const warnings = agents.flatMap((a, i) => a.logs.filter((l) => Number(l.level) >= 40 || l.level === 'warn').map((l) => `agent ${i}: ${JSON.stringify(l)}`));
  return `queries without data:\n  ${empties(outcomes).join('\n  ')}\n--- agent warnings ---\n${warnings.join('\n')}\n--- prometheus log ---\n${prom?.log() ?? ''}`;
}

test('the template variables list both agents as hosts and each host\'s domains', async () => {
  const overview = await runQueries(api, queriesOf(ROOT, 'virtmon-overview').filter((q) => q.kind === 'variable'), {}, { scrapeSeconds: SCRAPE_SECONDS });
  assert.equal(overview.length, 1);
  assert.deepEqual(overview[0]?.values, [testHost, qemuHost].sort());
  for (const [host, domain] of [[testHost, 'test'], [qemuHost, QEMU_NAME]] as const) {
    const vars = await runQueries(api, queriesOf(ROOT, 'virtmon-domain').filter((q) => q.kind === 'variable'), { host }, { scrapeSeconds: SCRAPE_SECONDS });
    assert.deepEqual(vars.map((v) => v.query.where), ['variable host', 'variable domain']);
    assert.deepEqual(empties(vars), [], report(vars));
    assert.deepEqual(vars.find((v) => v.query.label === 'domain')?.values, [domain], `${host} lists ${domain} alone`);
  }
});

test('every query of the host overview returns data, for All hosts and for each host', async () => {
  const queries = queriesOf(ROOT, 'virtmon-overview').filter((q) => q.kind !== 'variable');
  assert.ok(queries.length > 20);
  for (const host of ['.*', testHost, qemuHost]) {
    const outcomes = await runQueries(api, queries, { host }, { scrapeSeconds: SCRAPE_SECONDS });
    assert.equal(outcomes.length, queries.length);
    assert.deepEqual(empties(outcomes), [], `host ${host}: ${report(outcomes)}`);
    assert.ok(outcomes.every((o) => !o.sent.includes('$')), 'everything substituted');
  }
  // The remediation panels count the rules' dry-run suspends (each the first of its series), not `or vector(0)`.
  type Vector = { result: { metric: Record<string, string>; value: [number, string] }[] };
  const panel = async (where: string): Promise<Vector['result']> => {
    const query = queries.find((x) => x.where === where);
    assert.ok(query !== undefined, where);
    return (await api.get<Vector>('/api/v1/query', { query: substitute(query.expr, { host: '.*' }, SCRAPE_SECONDS, 60) })).result;
  };
  const total = await panel('Actions in range A');
  assert.ok(Number(total[0]?.value[1]) >= 2, JSON.stringify(total));
  const rows = (await panel('Actions per domain A')).map((r) => `${r.metric.instance ?? ''} ${r.metric.domain ?? ''} ${r.metric.action ?? ''} ${r.metric.result ?? ''} ${Number(r.value[1]) >= 1}`);
  for (const [host, domain] of [[testHost, 'test'], [qemuHost, QEMU_NAME]] as const) {
    assert.ok(rows.includes(`${host} ${domain} suspend dry_run true`), rows.join('\n'));
  }
});

test('every query of the domain drilldown returns data for the test-driver domain and the QEMU domain', async () => {
  const queries = queriesOf(ROOT, 'virtmon-domain').filter((q) => q.kind !== 'variable');
  assert.ok(queries.length > 40);
  for (const [host, domain] of [[testHost, 'test'], [qemuHost, QEMU_NAME]] as const) {
    const outcomes = await runQueries(api, queries, { host, domain }, { scrapeSeconds: SCRAPE_SECONDS });
    assert.equal(outcomes.length, queries.length);
    assert.deepEqual(empties(outcomes), [], `${host} ${domain}: ${report(outcomes)}`);
  }
});

test('every recording and alerting rule evaluates without error on the live data', async () => {
  interface Rules { groups: { rules: { name: string; health: string; lastError?: string }[] }[] }
  const rules = (await api.get<Rules>('/api/v1/rules', {})).groups.flatMap((g) => g.rules);
  assert.ok(rules.length >= 20);
  assert.deepEqual(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError ?? r.health}`), []);
  assert.ok((await api.instant('virtmon:domain_cpu_usage:ratio')) >= 2, 'CPU usage recorded for both hosts');
});
