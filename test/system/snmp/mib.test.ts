/**
 * mibs/LIBVIRT-MIB.txt loads in net-snmp 5.9 (`snmptranslate -M +mibs -m +LIBVIRT-MIB`), names every
 * object at the OID the agent serves, and lets snmpwalk/snmptable render the table with names, enums and
 * the UUID display hint.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Col, GUEST_ENTRY, GUEST_NOTIF, LIBVIRT_MIB } from '../../../src/exporters/snmp/libvirt-mib.ts';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';
import { runTool } from '../../helpers/snmp-tools.ts';

const MIBDIR = fileURLToPath(new URL('../../../mibs', import.meta.url));
const mib = ['-M', `+${MIBDIR}`, '-m', '+LIBVIRT-MIB'];
let fx: BridgeFixture;
before(async () => { fx = await startBridge('enabled: true\nlisten: 127.0.0.1:0'); });
after(async () => { await fx.stop(); });

test('snmptranslate resolves every object of LIBVIRT-MIB to the OID the agent uses', async () => {
  const names: Array<[string, readonly number[]]> = [
    ['libvirtMIB', LIBVIRT_MIB], ['libvirtGuestNotif', GUEST_NOTIF],
    ['libvirtGuestUUID', [...GUEST_ENTRY, Col.UUID]], ['libvirtGuestName', [...GUEST_ENTRY, Col.NAME]],
    ['libvirtGuestState', [...GUEST_ENTRY, Col.STATE]], ['libvirtGuestCpuCount', [...GUEST_ENTRY, Col.CPU_COUNT]],
    ['libvirtGuestMemoryCurrent', [...GUEST_ENTRY, Col.MEM_CURRENT]], ['libvirtGuestMemoryLimit', [...GUEST_ENTRY, Col.MEM_LIMIT]],
    ['libvirtGuestCpuTime', [...GUEST_ENTRY, Col.CPU_TIME]], ['libvirtGuestRowStatus', [...GUEST_ENTRY, Col.ROW_STATUS]],
  ];
  for (const [name, oid] of names) {
    const run = await runTool('snmptranslate', [...mib, '-On', `LIBVIRT-MIB::${name}`]);
    assert.equal(run.stdout.trim(), `.${oid.join('.')}`, `${name}: ${run.stderr.split('\n').filter((l) => l.includes('LIBVIRT')).join('\n')}`);
  }
  const desc = await runTool('snmptranslate', [...mib, '-Td', 'LIBVIRT-MIB::libvirtGuestCpuTime']);
  assert.match(desc.stdout, /SYNTAX\s+Counter64/);
  assert.match(desc.stdout, /MAX-ACCESS\s+read-only/);
});

test('snmpwalk with the MIB prints names and enumerations; snmptable shows the table', async () => {
  const walk = await runTool('snmpwalk', ['-v2c', '-c', 'public', ...mib, fx.target, 'LIBVIRT-MIB::libvirtGuestState']);
  assert.equal(walk.code, 0, walk.stderr);
  assert.match(walk.stdout, /LIBVIRT-MIB::libvirtGuestState\.\S+ = INTEGER: running\(1\)/);
  assert.match(walk.stdout, /INTEGER: paused\(3\)/);
  // -Ob: snmptable's GetBulk mode keys rows by the printed index, and a binary UUID printed as a string
  // collapses to dots for every row; numeric indexes keep the rows apart (libvirt-snmp has the same index).
  const table = await runTool('snmptable', ['-v2c', '-c', 'public', ...mib, '-Cb', '-Ob', fx.target, 'LIBVIRT-MIB::libvirtGuestTable']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /Name\s+State\s+CpuCount\s+MemoryCurrent\s+MemoryLimit\s+CpuTime\s+RowStatus/);
  assert.match(table.stdout, /"vmt-running"\s+running\s+1\s+512 MiB\s+1024 MiB\s+1152921504606859321 nanoseconds\s+active/);
  assert.equal(table.stdout.split('\n').filter((l) => l.includes('"vmt-')).length, 7);
});
