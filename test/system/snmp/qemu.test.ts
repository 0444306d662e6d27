/**
 * The SNMP bridge on a real QEMU domain (qemu driver, test guest under TCG) with the real collection
 * feeding the snapshot: snmpwalk and snmpbulkwalk list its row with the snapshot's values, and snmpset
 * suspends and resumes it, which QEMU's own query-status confirms.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDirectActions } from '../../../src/actions/direct.ts';
import { connectionSource, createCollection, type Collection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import type { DomainRef } from '../../../src/domain/domain-ref.ts';
import { uuidToBytes } from '../../../src/domain/domain-ref.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import type { QmpStatusInfo } from '../../../src/drivers/qemu/qmp/types.ts';
import { SnmpBridge } from '../../../src/exporters/snmp/bridge.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { guestXml, qemuDriverEnv, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';
import { parseLines, runTool } from '../../helpers/snmp-tools.ts';
import { locateTestGuest } from '../../helpers/test-guest.ts';

const ENTRY = '1.3.6.1.4.1.36957.1.1.1';

describe('SNMP bridge on a real QEMU domain', () => {
  let env: QemuDriverEnv;
  let conn: Connection;
  let dom: DomainRef;
  let collection: Collection;
  let bridge: SnmpBridge;
  let target: string;

  before(async () => {
    env = await qemuDriverEnv('s');
    conn = await env.open();
    const guest = locateTestGuest();
    dom = await conn.defineXML(guestXml({ name: `vmtsnmp${process.pid}`, guest: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append() } }));
    dom = await conn.create(dom);
    const config = parseConfigText('uri: qemu:///system\ncollection: { interval: 1h, domainTimeout: 20s }\nsnmp: { enabled: true, listen: "127.0.0.1:0", communities: { ro: [public], rw: [private] } }\n', 'virtmon.yaml');
    collection = createCollection({ config, source: connectionSource(conn), logger: silentLogger() });
    await collection.start();
    await pollUntil('first sample with cpu.time', 60_000, () => (collection.snapshot.get(dom.uuid)?.sample.fields.has('cpu.time') === true ? true : undefined), 100);
    bridge = new SnmpBridge({
      config: config.snmp, snapshot: collection.snapshot, live: { listDomains: () => conn.listAllDomains() },
      actions: createDirectActions(conn), subscribeEvents: (l) => conn.onDomainEvent(l), logger: silentLogger(),
    });
    await bridge.start();
    target = `127.0.0.1:${bridge.address()?.port ?? 0}`;
  });

  after(async () => {
    await bridge?.stop();
    await collection?.stop();
    await conn?.close();
    await env?.sweep();
  });

  const idx = (): string => [...uuidToBytes(dom.uuid)].join('.');
  const qemuStatus = async (): Promise<string> => {
    const t = (await conn.statsTargets()).find((x) => x.ref.uuid === dom.uuid);
    assert.ok(t?.qmp !== undefined);
    return (await t.qmp.execute<QmpStatusInfo>('query-status')).status;
  };

  test('snmpwalk and snmpbulkwalk show the domain with the snapshot\'s values', async () => {
    const fields = collection.snapshot.get(dom.uuid)!.sample.fields;
    const walk = await runTool('snmpwalk', ['-v2c', '-c', 'public', '-On', target, ENTRY]);
    assert.equal(walk.code, 0, walk.stderr);
    const row = new Map(parseLines(walk.stdout).filter((l) => l.oid.endsWith(`.${idx()}`)).map((l) => [l.oid.split('.')[10], l]));
    assert.equal(row.get('2')?.value, `"${dom.name}"`);
    assert.equal(row.get('3')?.value, '1');
    assert.equal(row.get('4')?.value, String(fields.get('vcpu.current')));
    assert.equal(row.get('7')?.type, 'Counter64');
    assert.equal(row.get('7')?.value, String(fields.get('cpu.time')));
    if (fields.has('balloon.maximum')) assert.equal(row.get('6')?.value, String(Math.floor(Number(fields.get('balloon.maximum')) / 1024)));
    const bulk = await runTool('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', '-Cr3', target, ENTRY]);
    assert.deepEqual(parseLines(bulk.stdout), parseLines(walk.stdout));
  });

  test('snmpset suspends and resumes the QEMU domain (query-status agrees); public is refused', async () => {
    const oid = `${ENTRY}.3.${idx()}`;
    const ro = await runTool('snmpset', ['-v2c', '-c', 'public', '-t', '10', '-r', '0', target, oid, 'i', '3']);
    assert.match(ro.stderr, /Reason: noAccess/);
    assert.equal(await qemuStatus(), 'running');
    const s = await runTool('snmpset', ['-v2c', '-c', 'private', '-t', '20', '-r', '0', target, oid, 'i', '3']);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(await qemuStatus(), 'paused');
    const get = await runTool('snmpget', ['-v2c', '-c', 'public', '-On', target, oid]);
    assert.match(get.stdout, /INTEGER: 3/);
    const bad = await runTool('snmpset', ['-v2c', '-c', 'private', '-t', '20', '-r', '0', target, oid, 'i', '4']);
    assert.match(bad.stderr, /Reason: inconsistentValue/);
    const r = await runTool('snmpset', ['-v2c', '-c', 'private', '-t', '20', '-r', '0', target, oid, 'i', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await qemuStatus(), 'running');
  });
});
