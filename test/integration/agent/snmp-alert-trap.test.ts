/**
 * A rule's `trap` action in the composed agent: the alerts component gets the SNMP bridge as its trap
 * sender, and net-snmp's snmptrapd receives virtmonAlertNotif with the guest's name and UUID, the rule,
 * severities, metric, value and message. /metrics counts the bridge's PDUs (virtmon_snmp_pdus_total)
 * after an snmpwalk and an snmpbulkwalk against the agent, and the informs snmptrapd acknowledged.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { startTestAgent, type TestAgent } from '../../helpers/agent.ts';
import { freeUdpPort, runTool, startTrapd, type Daemon } from '../../helpers/snmp-tools.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const ALERT = '.1.3.6.1.4.1.36957.100.1.1';
const ENTRY = '.1.3.6.1.4.1.36957.1.1.1';
let tmp: ShortTempDir;
let trapd: Daemon;
let ta: TestAgent;

before(async () => {
  tmp = await shortTempDir('snmpalert');
  const port = await freeUdpPort();
  trapd = await startTrapd(tmp, port, ['authCommunity log public']);
  const rules = tmp.path('rules.yml');
  await writeFile(rules, [
    'rules:',
    '  - name: busy-cpu',
    '    metric: libvirt_domain_info_cpu_time_seconds_total',
    '    failure: { max: 0.000001 }',
    '    actions:',
    '      failure: [trap]',
    '',
  ].join('\n'));
  ta = await startTestAgent({
    extraYaml: [
      `alerts: { rules: ${rules}, auditLog: ${tmp.path('audit.log')} }`,
      `snmp: { enabled: true, listen: "127.0.0.1:0", sinks: [{ target: "udp:127.0.0.1:${port}", community: public }, { target: "udp:127.0.0.1:${port}", community: public, kind: inform }] }`,
    ].join('\n'),
  });
});
after(async () => {
  await ta?.stop();
  await trapd?.stop();
  await tmp?.remove();
});

function get(path: string): Promise<string> {
  const port = Number(ta.agent.addresses.http.split(':').pop());
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => { resolve(text); });
    }).on('error', reject).end();
  });
}

test('a rule firing with a trap action reaches snmptrapd as virtmonAlertNotif, and the audit says done', async () => {
  await trapd.waitFor('.1.3.6.1.4.1.36957.100.0.1', 30_000);
  await trapd.waitFor(`${ALERT}.6.0 = STRING:`);
  const out = trapd.output();
  const text = out.slice(out.lastIndexOf('.1.3.6.1.4.1.36957.100.0.1'));
  const uuid = (await ta.agent.context.conn.lookupDomain('test')).uuid;
  const hex = Buffer.from(uuidToBytes(uuid)).toString('hex').toUpperCase().match(/../g)!.join(' ');
  const order = [`${ENTRY}.2.0 = STRING: "test"`, `${ENTRY}.1.0 = Hex-STRING: ${hex}`, `${ALERT}.1.0 = STRING: "busy-cpu"`,
    `${ALERT}.2.0 = INTEGER: 1`, `${ALERT}.3.0 = INTEGER: 4`, `${ALERT}.4.0 = STRING: "libvirt_domain_info_cpu_time_seconds_total"`,
    `${ALERT}.5.0 = STRING: "`, `${ALERT}.6.0 = STRING: "`];
  let pos = -1;
  for (const part of order) {
    const at = text.indexOf(part, pos + 1);
    assert.ok(at > pos, `${part} in order in:\n${text}`);
    pos = at;
  }
  // The value is the compared rate, as decimal text.
  assert.match(text, new RegExp(`${ALERT.replaceAll('.', '\\.')}\\.5\\.0 = STRING: "\\d+(\\.\\d+)?(e-?\\d+)?"`));
  // The audit line is written once the trap has left the socket: poll for it.
  const audited = async (): Promise<boolean> => {
    const text = await readFile(tmp.path('audit.log'), 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { action: string; outcome: string; source: string });
    return lines.some((l) => l.source === 'rule' && l.action === 'trap' && l.outcome === 'done');
  };
  const end = Date.now() + 15_000;
  while (!(await audited())) {
    assert.ok(Date.now() < end, 'no audit line for the trap');
    await new Promise((r) => setTimeout(r, 200));
  }
  const metrics = await get('/metrics');
  assert.match(metrics, /^virtmon_remediation_actions_total\{domain="test",action="trap",result="success"\} [1-9]\d*$/m);
});

test('virtmon_snmp_pdus_total counts the walks and the traps on /metrics', async () => {
  const port = ta.agent.context.links.snmp?.address()?.port;
  assert.ok(port !== undefined && port > 0);
  const walk = await runTool('snmpwalk', ['-v2c', '-c', 'public', '-On', `127.0.0.1:${port}`, '1.3.6.1.4.1.36957.1.1.1.2']);
  assert.equal(walk.code, 0, walk.stderr);
  const rows = walk.stdout.split('\n').filter((l) => l.startsWith('.')).length;
  const bulk = await runTool('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', `127.0.0.1:${port}`, '1.3.6.1.4.1.36957.1.1.1.2']);
  assert.equal(bulk.code, 0, bulk.stderr);
  const bad = await runTool('snmpget', ['-v2c', '-c', 'wrong', '-r', '0', '-t', '0.5', '-On', `127.0.0.1:${port}`, '1.3.6.1.2.1.1.1.0']);
  assert.notEqual(bad.code, 0);
  const metrics = await get('/metrics');
  const value = (pdu: string, result: string): number => {
    const m = new RegExp(`^virtmon_snmp_pdus_total\\{pdu="${pdu}",result="${result}"\\} (\\d+)$`, 'm').exec(metrics);
    assert.ok(m !== null, `no ${pdu}/${result} series in:\n${metrics}`);
    return Number(m[1]);
  };
  // snmpwalk asks once per row plus once past the end of the column.
  assert.ok(value('getnext', 'ok') >= rows + 1, `getnext ok ${value('getnext', 'ok')} < ${rows + 1}`);
  assert.ok(value('getbulk', 'ok') >= 1);
  assert.equal(value('get', 'dropped'), 1);
  assert.equal(value('set', 'ok'), 0);
  // coldStart plus at least one alert trap.
  assert.ok(value('trap', 'ok') >= 2, `trap ok ${value('trap', 'ok')}`);
  assert.equal(value('trap', 'error'), 0);
  // The inform sink: snmptrapd acknowledges coldStart and the alert.
  assert.ok(value('inform', 'ok') >= 1, `inform ok ${value('inform', 'ok')}`);
  assert.equal(value('inform', 'error'), 0);
  assert.match(metrics, /^# TYPE virtmon_snmp_pdus_total counter$/m);
});
