/**
 * snmpwalk, snmpbulkwalk, snmpbulkget and snmpget (net-snmp 5.9) against the standalone agent on the
 * test driver: the guest table in UUID order with libvirt-snmp's index encoding, values equal to the
 * snapshot, the N + M·R GetBulk rule, Counter64 above 2^53, and the GET exceptions.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { BIG_CPU_NS, startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';
import { parseLines, runTool } from '../../helpers/snmp-tools.ts';

const ENTRY = '1.3.6.1.4.1.36957.1.1.1';
let fx: BridgeFixture;
before(async () => { fx = await startBridge('enabled: true\nlisten: 127.0.0.1:0\ncommunities: { ro: [public], rw: [private] }'); });
after(async () => { await fx.stop(); });

const v2 = (...args: string[]): string[] => ['-v2c', '-c', 'public', '-On', '-t', '2', '-r', '1', fx.target, ...args];
const idx = (uuid: string): string => [...uuidToBytes(uuid)].join('.');

/** The expected table: active domains in UUID byte order, from the live listing and the snapshot. */
async function expectedRows(): Promise<Array<{ oid: string; value: string }>> {
  const active = (await fx.tc.conn.listAllDomains()).filter((d) => d.state !== 5).sort((a, b) => a.uuid.localeCompare(b.uuid));
  const out: Array<{ oid: string; value: string }> = [];
  const col = (c: number, f: (d: (typeof active)[number]) => string): void => {
    for (const d of active) out.push({ oid: `${ENTRY}.${c}.${idx(d.uuid)}`, value: f(d) });
  };
  const sample = (uuid: string) => fx.store.get(uuid)!.sample.fields;
  col(2, (d) => `"${d.name}"`);
  col(3, (d) => String(d.state === 7 ? 3 : d.state));
  col(4, (d) => String(sample(d.uuid).get('vcpu.current')));
  col(5, (d) => String(Number(sample(d.uuid).get('balloon.current')) / 1024));
  col(6, (d) => String(Number(sample(d.uuid).get('balloon.maximum')) / 1024));
  col(7, (d) => String(sample(d.uuid).get('cpu.time')));
  col(9, () => '1');
  return out;
}

test('snmpwalk returns the guest table in order, values equal to the snapshot, no UUID column', async () => {
  const run = await runTool('snmpwalk', v2(`${ENTRY}`));
  assert.equal(run.code, 0, run.stderr);
  const got = parseLines(run.stdout).map((l) => ({ oid: l.oid, value: l.value }));
  assert.deepEqual(got, await expectedRows());
  assert.ok(!run.stdout.includes(`${ENTRY}.1.`), 'UUID column is accessible-for-notify');
  const types = new Set(parseLines(run.stdout).filter((l) => l.oid.startsWith(`${ENTRY}.7.`)).map((l) => l.type));
  assert.deepEqual([...types], ['Counter64']);
});

test('the index is 16 sub-ids without a length (libvirt-snmp encoding)', async () => {
  const run = await runTool('snmpget', v2(`${ENTRY}.3.161.0.0.0.0.0.64.0.128.0.0.0.0.0.0.161`));
  assert.equal(run.stdout.trim(), `.${ENTRY}.3.161.0.0.0.0.0.64.0.128.0.0.0.0.0.0.161 = INTEGER: 1`);
});

test('snmpbulkwalk with -Cr1 … -Cr200 and -Cn1 returns the same rows as snmpwalk', async () => {
  const want = await expectedRows();
  for (const opts of [['-Cr1'], ['-Cr2'], ['-Cr3'], ['-Cr7'], ['-Cr10'], ['-Cr50'], ['-Cn1', '-Cr5'], ['-Cn0', '-Cr200']]) {
    const run = await runTool('snmpbulkwalk', v2(...opts, '1.3.6.1.4.1.36957'));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(parseLines(run.stdout).map((l) => ({ oid: l.oid, value: l.value })), want, opts.join(' '));
  }
});

test('snmpbulkget -Cn1 -Cr5 with two repeaters returns N + M·R = 11 varbinds, interleaved', async () => {
  const run = await runTool('snmpbulkget', v2('-Cn1', '-Cr5', '1.3.6.1.2.1.1.1', `${ENTRY}.2`, `${ENTRY}.3`));
  assert.equal(run.code, 0, run.stderr);
  const lines = parseLines(run.stdout);
  assert.equal(lines.length, 11);
  assert.equal(lines[0]!.oid, '1.3.6.1.2.1.1.1.0');
  assert.ok(lines[1]!.oid.startsWith(`${ENTRY}.2.`) && lines[2]!.oid.startsWith(`${ENTRY}.3.`));
  assert.ok(lines[3]!.oid.startsWith(`${ENTRY}.2.`) && lines[4]!.oid.startsWith(`${ENTRY}.3.`));
});

test('GetBulk stops after a round in which every repeater hit endOfMibView', async () => {
  const run = await runTool('snmpbulkget', v2('-Cn0', '-Cr20', `${ENTRY}.9`));
  const lines = parseLines(run.stdout);
  const rows = (await expectedRows()).filter((r) => r.oid.startsWith(`${ENTRY}.9.`)).length;
  // the rows, snmpSetSerialNo.0 (the last instance of the view), then one endOfMibView round; not 20.
  assert.equal(lines.length, rows + 2, run.stdout);
  assert.equal(lines[rows]!.oid, '1.3.6.1.6.3.1.1.6.1.0');
  assert.match(run.stdout, /No more variables left in this MIB View/);
});

test('snmpget of Counter64 CPU time is exact above 2^53', async () => {
  const first = (await fx.tc.conn.listAllDomains()).filter((d) => d.state !== 5).sort((a, b) => a.uuid.localeCompare(b.uuid))[0]!;
  const run = await runTool('snmpget', v2(`${ENTRY}.7.${idx(first.uuid)}`));
  assert.equal(run.stdout.trim(), `.${ENTRY}.7.${idx(first.uuid)} = Counter64: ${BIG_CPU_NS}`);
});

test('GET exceptions: missing instance, missing object, UUID column, short index', async () => {
  const run = await runTool('snmpget', v2(`${ENTRY}.2.${'1.'.repeat(15)}1`, `${ENTRY}.8.${'1.'.repeat(15)}1`,
    `${ENTRY}.1.161.0.0.0.0.0.64.0.128.0.0.0.0.0.0.161`, `${ENTRY}.2.1.2.3`, '1.3.6.1.2.1.1.5.1'));
  const lines = run.stdout.trim().split('\n');
  assert.match(lines[0]!, /No Such Instance currently exists at this OID/);
  assert.match(lines[1]!, /No Such Object available on this agent at this OID/);
  assert.match(lines[2]!, /No Such Object available on this agent at this OID/);
  assert.match(lines[3]!, /No Such Instance currently exists at this OID/);
  assert.match(lines[4]!, /No Such Instance currently exists at this OID/);
});

test('system group: sysDescr, sysUpTime, sysObjectID zeroDotZero, sysORTable row', async () => {
  const run = await runTool('snmpwalk', v2('1.3.6.1.2.1.1'));
  assert.equal(run.code, 0, run.stderr);
  const by = new Map(parseLines(run.stdout).map((l) => [l.oid, l]));
  assert.equal(by.get('1.3.6.1.2.1.1.1.0')?.value, '"virtmon test"');
  assert.equal(by.get('1.3.6.1.2.1.1.2.0')?.value, '.0.0');
  assert.equal(by.get('1.3.6.1.2.1.1.3.0')?.type, 'Timeticks');
  assert.equal(by.get('1.3.6.1.2.1.1.5.0')?.value, '"vmt-host"');
  assert.equal(by.get('1.3.6.1.2.1.1.9.1.2.1')?.value, '.1.3.6.1.4.1.36957.2.1.1');
});

test('a full walk from the root is strictly increasing and ends with endOfMibView', async () => {
  const run = await runTool('snmpwalk', v2('.1'));
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /not increasing/);
  assert.match(run.stdout, /No more variables left in this MIB View/);
});

test('an unknown community gets no answer and is counted', async () => {
  const before = fx.bridge.counters.inBadCommunityNames;
  const run = await runTool('snmpget', ['-v2c', '-c', 'wrong', '-On', '-t', '1', '-r', '0', fx.target, '1.3.6.1.2.1.1.1.0']);
  assert.match(run.stderr + run.stdout, /Timeout/);
  assert.equal(fx.bridge.counters.inBadCommunityNames, before + 1);
});

test('SNMPv1 is not served: dropped and counted in snmpInBadVersions (S4)', async () => {
  const before = fx.bridge.counters.inBadVersions;
  const run = await runTool('snmpget', ['-v1', '-c', 'public', '-On', '-t', '1', '-r', '0', fx.target, '1.3.6.1.2.1.1.1.0']);
  assert.match(run.stderr + run.stdout, /Timeout/);
  assert.equal(fx.bridge.counters.inBadVersions, before + 1);
  const counted = await runTool('snmpget', v2('1.3.6.1.2.1.11.3.0'));
  assert.match(counted.stdout, new RegExp(`Counter32: ${before + 1}`));
});
