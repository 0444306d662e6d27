/**
 * SNMPv3 USM with net-snmp 5.9 tools: authPriv walks (SHA/AES, SHA-256/AES, MD5/AES), engine discovery,
 * wrong passphrases and unknown users refused and counted, a SET by an rw user, and a v3 trap that
 * snmptrapd authenticates and decrypts (lifecycle and alert rule traps).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { engineIdFrom } from '../../../src/exporters/snmp/usm-config.ts';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';
import { freeUdpPort, parseLines, runTool, startTrapd, type Daemon } from '../../helpers/snmp-tools.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const ENTRY = '1.3.6.1.4.1.36957.1.1.1';
const RUNNING = 'a1000000-0000-4000-8000-0000000000a1';
const ENGINE = '80000000050102030405060708090a0b0c';
let fx: BridgeFixture;
let tmp: ShortTempDir;
let trapd: Daemon;
before(async () => {
  tmp = await shortTempDir('snmpv3');
  const trapPort = await freeUdpPort();
  trapd = await startTrapd(tmp, trapPort, [
    `createUser -e 0x${ENGINE} vmtrap SHA trappass1 AES trappriv1`, 'authUser log vmtrap priv',
  ]);
  fx = await startBridge(`enabled: true
listen: 127.0.0.1:0
engineId: "${ENGINE}"
users:
  - { name: vmtro, authProtocol: sha, authPassword: authpass1, privProtocol: aes, privPassword: privpass1 }
  - { name: vmt256, authProtocol: sha256, authPassword: authpass2, privProtocol: aes, privPassword: privpass2 }
  - { name: vmtmd5, authProtocol: md5, authPassword: authpass3, privProtocol: aes }
  - { name: vmtrw, access: rw, authProtocol: sha, authPassword: authpass4, privProtocol: aes, privPassword: privpass4 }
  - { name: vmtrap, authProtocol: sha, authPassword: trappass1, privProtocol: aes, privPassword: trappriv1 }
sinks: [{ target: "udp:127.0.0.1:${trapPort}", version: v3, user: vmtrap }]`);
});
after(async () => {
  await fx.stop();
  await trapd.stop();
  await tmp.remove();
});

const v3 = (user: string, a: string, apass: string, ppass: string, ...rest: string[]): string[] =>
  ['-v3', '-l', 'authPriv', '-u', user, '-a', a, '-A', apass, '-x', 'AES', '-X', ppass, '-On', '-t', '2', '-r', '1', fx.target, ...rest];

test('authPriv walks of the guest table equal the v2c walk, for SHA, SHA-256 and MD5 with AES', async () => {
  const plain = await runTool('snmpwalk', ['-v2c', '-c', 'public', '-On', fx.target, ENTRY]);
  const want = parseLines(plain.stdout);
  assert.ok(want.length > 7);
  for (const args of [v3('vmtro', 'SHA', 'authpass1', 'privpass1'), v3('vmt256', 'SHA-256', 'authpass2', 'privpass2'), v3('vmtmd5', 'MD5', 'authpass3', 'authpass3')]) {
    const run = await runTool('snmpwalk', [...args, ENTRY]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(parseLines(run.stdout).map((l) => l.oid), want.map((l) => l.oid));
  }
  const bulk = await runTool('snmpbulkwalk', [...v3('vmtro', 'SHA', 'authpass1', 'privpass1'), '-Cr7', ENTRY]);
  assert.deepEqual(parseLines(bulk.stdout).map((l) => l.oid), want.map((l) => l.oid));
});

test('snmpEngineID is the configured one; wrong passphrase and unknown user are refused and counted', async () => {
  const id = await runTool('snmpget', [...v3('vmtro', 'SHA', 'authpass1', 'privpass1'), '1.3.6.1.6.3.10.2.1.1.0']);
  assert.match(id.stdout.replace(/\s+/g, " "), /Hex-STRING: 80 00 00 00 05 01 02 03 04 05 06 07 08 09 0A 0B 0C/);
  assert.equal(engineIdFrom({ engineId: ENGINE }).toString('hex'), ENGINE);
  const wrong = await runTool('snmpget', [...v3('vmtro', 'SHA', 'wrongpass', 'privpass1'), '1.3.6.1.2.1.1.1.0']);
  assert.match(wrong.stderr, /Authentication failure/);
  assert.ok(fx.bridge.counters.wrongDigests >= 1);
  const unknown = await runTool('snmpget', [...v3('nobody', 'SHA', 'authpass1', 'privpass1'), '1.3.6.1.2.1.1.1.0']);
  assert.match(unknown.stderr, /Unknown user name/);
  const noPriv = await runTool('snmpget', ['-v3', '-l', 'authNoPriv', '-u', 'vmtro', '-a', 'SHA', '-A', 'authpass1', '-On', '-t', '2', '-r', '0', fx.target, '1.3.6.1.2.1.1.1.0']);
  assert.match(noPriv.stderr, /Unsupported security level/);
});

test('a SET needs an rw user: vmtro gets noAccess, vmtrw suspends; snmptrapd decrypts the v3 trap', async () => {
  const oid = `${ENTRY}.3.${[...uuidToBytes(RUNNING)].join('.')}`;
  const ro = await runTool('snmpset', [...v3('vmtro', 'SHA', 'authpass1', 'privpass1'), oid, 'i', '3']);
  assert.match(ro.stderr, /Reason: noAccess/);
  const rw = await runTool('snmpset', [...v3('vmtrw', 'SHA', 'authpass4', 'privpass4'), oid, 'i', '3']);
  assert.equal(rw.code, 0, rw.stderr);
  assert.equal((await fx.tc.conn.getState(await fx.tc.conn.lookupByUUID(RUNNING))).state, 3);
  assert.deepEqual(fx.performed.at(-1), { action: 'suspend', domain: RUNNING, source: 'snmp' });
  await trapd.waitFor(`.${ENTRY}.3.0 = INTEGER: 3`);
  assert.match(trapd.output(), /\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: \.1\.3\.6\.1\.4\.1\.36957\.0\.1/);
});

test('an alert rule trap (virtmonAlertNotif) reaches snmptrapd as an authPriv v3 trap; the v3 reads were counted', async () => {
  await fx.bridge.sendTrap({
    severity: 'warning', previous: 'okay', time: Date.now(), rule: 'v3-alert', domain: { name: 'vmt-running', uuid: RUNNING },
    metric: 'libvirt_domain_memory_stats_rss_bytes', labels: {}, value: 42.5, rate: false, thresholds: { warningMax: 10 },
    missing: false, message: 'rss 42.5 above 10', intervalSeconds: 5,
  });
  await trapd.waitFor('.1.3.6.1.4.1.36957.100.1.1.6.0 = STRING: "rss 42.5 above 10"');
  const out = trapd.output();
  assert.match(out, /\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: \.1\.3\.6\.1\.4\.1\.36957\.100\.0\.1/);
  assert.match(out, /\.1\.3\.6\.1\.4\.1\.36957\.100\.1\.1\.5\.0 = STRING: "42\.5"/);
  assert.ok(fx.bridge.pdus.get('trap', 'ok') >= 1);
  assert.ok(fx.bridge.pdus.get('getnext', 'ok') + fx.bridge.pdus.get('getbulk', 'ok') > 0);
});
