/**
 * mibs/VIRTMON-MIB.txt loads in net-snmp 5.9 and names virtmonAlertNotif and its objects at the OIDs the
 * bridge sends; SnmpBridge.sendTrap rejects clearly when it has nowhere to send.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Notification } from '../../../src/actions/notify/types.ts';
import { ALERT, ALERT_NOTIF, VIRTMON_MIB } from '../../../src/exporters/snmp/virtmon-mib.ts';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';
import { runTool } from '../../helpers/snmp-tools.ts';

const MIBDIR = fileURLToPath(new URL('../../../mibs', import.meta.url));
const mib = ['-M', `+${MIBDIR}`, '-m', '+VIRTMON-MIB'];
let fx: BridgeFixture;
before(async () => { fx = await startBridge('enabled: true\nlisten: 127.0.0.1:0'); });
after(async () => { await fx.stop(); });

test('snmptranslate resolves VIRTMON-MIB names to the OIDs the bridge sends', async () => {
  const names: Array<[string, readonly number[]]> = [
    ['virtmonMIB', VIRTMON_MIB], ['virtmonAlertNotif', ALERT_NOTIF], ['virtmonAlertRule', [...ALERT, 1]],
    ['virtmonAlertSeverity', [...ALERT, 2]], ['virtmonAlertPreviousSeverity', [...ALERT, 3]], ['virtmonAlertMetric', [...ALERT, 4]],
    ['virtmonAlertValue', [...ALERT, 5]], ['virtmonAlertMessage', [...ALERT, 6]],
  ];
  for (const [name, oid] of names) {
    const run = await runTool('snmptranslate', [...mib, '-On', `VIRTMON-MIB::${name}`]);
    assert.equal(run.stdout.trim(), `.${oid.join('.')}`, `${name}: ${run.stderr.split('\n').filter((l) => l.includes('VIRTMON')).join('\n')}`);
  }
  const desc = await runTool('snmptranslate', [...mib, '-Td', 'VIRTMON-MIB::virtmonAlertNotif']);
  assert.match(desc.stdout, /OBJECTS\s+\{\s*libvirtGuestName, libvirtGuestUUID, virtmonAlertRule/);
});

test('sendTrap without sinks rejects with a clear reason; after stop it says the bridge is not running', async () => {
  const n: Notification = {
    severity: 'warning', previous: 'okay', time: 0, rule: 'r', domain: { name: 'vm', uuid: 'a1000000-0000-4000-8000-0000000000a1' },
    metric: 'm', labels: {}, rate: false, thresholds: {}, missing: false, message: 'm', intervalSeconds: 5,
  };
  await assert.rejects(fx.bridge.sendTrap(n), /snmp\.sinks is empty/);
  const other = await startBridge('enabled: true\nlisten: 127.0.0.1:0');
  await other.stop();
  await assert.rejects(other.bridge.sendTrap(n), /not running/);
});
