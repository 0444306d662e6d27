/**
 * AgentX subagent under a real snmpd 5.9 master (own config, AgentX on a loopback TCP port): snmpwalk
 * and snmpbulkwalk of the guest table through the master, Counter64 above 2^53, a SET through the master
 * that acts exactly once, a refused transition, and a Notify the master forwards to snmptrapd.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { BIG_CPU_NS, startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';
import { freeTcpPort, freeUdpPort, parseLines, runTool, startMasterSnmpd, startTrapd, type Daemon } from '../../helpers/snmp-tools.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const ENTRY = '1.3.6.1.4.1.36957.1.1.1';
const RUNNING = 'a1000000-0000-4000-8000-0000000000a1';
let tmp: ShortTempDir;
let snmpd: Daemon;
let trapd: Daemon;
let fx: BridgeFixture;
let master: string;
let ports: { udp: number; ax: number; trap: number };
before(async () => {
  tmp = await shortTempDir('agentx');
  const [udp, ax, trapPort] = [await freeUdpPort(), await freeTcpPort(), await freeUdpPort()];
  trapd = await startTrapd(tmp, trapPort, ['authCommunity log public']);
  snmpd = await startMasterSnmpd(tmp, udp, ax, [`trap2sink 127.0.0.1:${trapPort} public`]);
  master = `127.0.0.1:${udp}`;
  ports = { udp, ax, trap: trapPort };
  fx = await startBridge(`enabled: true\nmode: agentx\nagentx: "tcp:127.0.0.1:${ax}"`);
  for (let i = 0; i < 100 && !fx.bridge.agentxRegistered; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fx.bridge.agentxRegistered, snmpd.output());
});
after(async () => {
  await fx?.stop();
  await snmpd?.stop();
  await trapd?.stop();
  await tmp?.remove();
});

const v2 = (community: string, ...args: string[]): string[] => ['-v2c', '-c', community, '-On', '-t', '3', '-r', '1', master, ...args];
const idx = (uuid: string): string => [...uuidToBytes(uuid)].join('.');

test('snmpwalk and snmpbulkwalk through the snmpd master return the guest table', async () => {
  const walk = await runTool('snmpwalk', v2('public', ENTRY));
  assert.equal(walk.code, 0, walk.stderr);
  const rows = parseLines(walk.stdout);
  const active = (await fx.tc.conn.listAllDomains()).filter((d) => d.state !== 5);
  assert.equal(rows.length, active.length * 7);
  assert.ok(rows.every((l) => !l.oid.startsWith(`${ENTRY}.1.`)));
  for (const r of [1, 5, 50]) {
    const bulk = await runTool('snmpbulkwalk', v2('public', `-Cr${r}`, '1.3.6.1.4.1.36957'));
    assert.deepEqual(parseLines(bulk.stdout), rows, `-Cr${r}`);
  }
  const first = active.sort((a, b) => a.uuid.localeCompare(b.uuid))[0]!;
  const cpu = await runTool('snmpget', v2('public', `${ENTRY}.7.${idx(first.uuid)}`, `${ENTRY}.2.${'1.'.repeat(15)}1`));
  assert.match(cpu.stdout, new RegExp(`Counter64: ${BIG_CPU_NS}`));
  assert.match(cpu.stdout, /No Such Instance/);
});

test('snmpset through the master suspends once; a bad transition gets inconsistentValue', async () => {
  fx.performed.length = 0;
  const s = await runTool('snmpset', v2('private', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '3'));
  assert.equal(s.code, 0, s.stderr);
  assert.equal((await fx.tc.conn.getState(await fx.tc.conn.lookupByUUID(RUNNING))).state, 3);
  assert.deepEqual(fx.performed, [{ action: 'suspend', domain: RUNNING, source: 'snmp' }]);
  const bad = await runTool('snmpset', v2('private', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '4'));
  assert.match(bad.stderr, /Reason: inconsistentValue/);
  const ro = await runTool('snmpset', v2('public', `${ENTRY}.3.${idx(RUNNING)}`, 'i', '1'));
  assert.match(ro.stderr, /Reason: noAccess/);
  assert.equal(fx.performed.length, 1);
});

test('a lifecycle event becomes a Notify that snmpd forwards to snmptrapd', async () => {
  await trapd.waitFor(`.${ENTRY}.3.0 = INTEGER: 3`);
  assert.match(trapd.output(), /\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: \.1\.3\.6\.1\.4\.1\.36957\.0\.1/);
});

test('when the master restarts, the subagent reconnects and registers again', async () => {
  await snmpd.stop();
  for (let i = 0; i < 100 && fx.bridge.agentxRegistered; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(fx.bridge.agentxRegistered, false);
  snmpd = await startMasterSnmpd(tmp, ports.udp, ports.ax, [`trap2sink 127.0.0.1:${ports.trap} public`]);
  for (let i = 0; i < 200 && !fx.bridge.agentxRegistered; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fx.bridge.agentxRegistered);
  const walk = await runTool('snmpwalk', v2('public', `${ENTRY}.2`));
  assert.match(walk.stdout, /"vmt-running"/);
});
