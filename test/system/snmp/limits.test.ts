/**
 * Message size limits (RFC 3416 §4.2.1/4.2.3; npm net-snmp has none, deviation 6): with a 484-octet
 * limit a GET whose answer does not fit gets tooBig, and a GetBulk is trimmed from the end instead.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';
import { parseLines, runTool } from '../../helpers/snmp-tools.ts';

let fx: BridgeFixture;
before(async () => { fx = await startBridge('enabled: true\nlisten: 127.0.0.1:0\nmaxMessageSize: 484'); });
after(async () => { await fx.stop(); });

test('a GET whose response would exceed the limit answers tooBig', async () => {
  const oids = Array.from({ length: 30 }, () => '1.3.6.1.2.1.1.1.0');
  const run = await runTool('snmpget', ['-v2c', '-c', 'public', '-On', fx.target, ...oids]);
  assert.match(run.stderr, /tooBig/);
});

test('a GetBulk is trimmed to fit, never tooBig, and a walk still completes', async () => {
  const run = await runTool('snmpbulkget', ['-v2c', '-c', 'public', '-On', '-Cr200', fx.target, '1.3.6.1.4.1.36957']);
  assert.equal(run.code, 0, run.stderr);
  const n = parseLines(run.stdout).length;
  assert.ok(n > 3 && n < 200, `got ${n} varbinds`);
  const walk = await runTool('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', '-Cr200', fx.target, '1.3.6.1.4.1.36957']);
  assert.equal(parseLines(walk.stdout).length, 7 * 7);
});
