/**
 * snmptrapd (net-snmp 5.9) receives coldStart on start and libvirtGuestNotif when a domain is suspended,
 * with sysUpTime.0, snmpTrapOID.0 and Name, UUID, State, RowStatus in order; `.0` and index suffixes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';
import { freeUdpPort, startTrapd, type Daemon } from '../../helpers/snmp-tools.ts';
import { shortTempDir, type ShortTempDir } from '../../helpers/tmp-socket.ts';

const ENTRY = '.1.3.6.1.4.1.36957.1.1.1';
const RUNNING = 'a1000000-0000-4000-8000-0000000000a1';
let tmp: ShortTempDir;
let trapd: Daemon;
let port: number;
const bridges: BridgeFixture[] = [];
before(async () => {
  tmp = await shortTempDir('snmptrap');
  port = await freeUdpPort();
  trapd = await startTrapd(tmp, port, ['authCommunity log public']);
});
after(async () => {
  for (const b of bridges) await b.stop();
  await trapd.stop();
  await tmp.remove();
});

async function bridge(instance: 'zero' | 'index'): Promise<BridgeFixture> {
  const fx = await startBridge(`enabled: true\nlisten: 127.0.0.1:0\ntrapInstance: ${instance}\nsinks: [{ target: "udp:127.0.0.1:${port}", community: public }]`);
  bridges.push(fx);
  return fx;
}

/** The trap block snmptrapd printed that contains `marker`. */
function block(marker: string): string {
  const out = trapd.output();
  const at = out.lastIndexOf(marker);
  return out.slice(Math.max(0, out.lastIndexOf('\n', out.lastIndexOf('UDP:', at))), out.indexOf('\n', at) + 1);
}

test('coldStart on start, then libvirtGuestNotif with .0 suffixes when a domain is suspended', async () => {
  const fx = await bridge('zero');
  await trapd.waitFor('.1.3.6.1.6.3.1.1.5.1');
  await fx.tc.conn.suspend(await fx.tc.conn.lookupByUUID(RUNNING));
  await trapd.waitFor(`${ENTRY}.9.0 = INTEGER: 1`);
  const text = block(`${ENTRY}.2.0 = STRING: "vmt-running"`);
  const hex = Buffer.from(uuidToBytes(RUNNING)).toString('hex').toUpperCase().match(/../g)!.join(' ');
  const order = ['.1.3.6.1.2.1.1.3.0 = Timeticks:', '.1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.36957.0.1',
    `${ENTRY}.2.0 = STRING: "vmt-running"`, `${ENTRY}.1.0 = Hex-STRING: ${hex}`, `${ENTRY}.3.0 = INTEGER: 3`, `${ENTRY}.9.0 = INTEGER: 1`];
  let pos = -1;
  for (const part of order) {
    const at = text.indexOf(part, pos + 1);
    assert.ok(at > pos, `${part} in order in:\n${text}`);
    pos = at;
  }
  await fx.stop();
  bridges.pop();
});

test('trapInstance: index uses the row index; a stop reports shutoff(5) and notInService(2)', async () => {
  const fx = await bridge('index');
  const idx = [...uuidToBytes(RUNNING)].join('.');
  await fx.tc.conn.destroy(await fx.tc.conn.lookupByUUID(RUNNING));
  await trapd.waitFor(`${ENTRY}.9.${idx} = INTEGER: 2`);
  assert.match(trapd.output(), new RegExp(`${ENTRY.replaceAll('.', '\\.')}\\.3\\.${idx.replaceAll('.', '\\.')} = INTEGER: 5`));
  assert.ok(fx.bridge.notificationsSent >= 2);
});

test('kind: inform sends InformRequests that snmptrapd acknowledges', async () => {
  const fx = await startBridge(`enabled: true\nlisten: 127.0.0.1:0\nsinks: [{ target: "udp:127.0.0.1:${port}", community: public, kind: inform }]`);
  bridges.push(fx);
  // vmt-paused starts paused: resuming it is one lifecycle event (coldStart was the first inform)
  await fx.tc.conn.resume(await fx.tc.conn.lookupByUUID('a3000000-0000-4000-8000-0000000000a3'));
  for (let i = 0; i < 200 && fx.bridge.informsAcknowledged < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(fx.bridge.informsAcknowledged >= 2, `acknowledged ${fx.bridge.informsAcknowledged}`);
  await trapd.waitFor(`${ENTRY}.2.0 = STRING: "vmt-paused"`);
});
