/** The engine's fallbacks and the persisted snmpEngineBoots. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingLogger, type RecordedLog } from '../../../src/domain/logger.ts';
import { bumpEngineBoots } from '../../../src/exporters/snmp/engine-boots.ts';
import { SnmpEngine } from '../../../src/exporters/snmp/engine.ts';
import { GUEST_ENTRY } from '../../../src/exporters/snmp/libvirt-mib.ts';
import { PduType } from '../../../src/exporters/snmp/pdu.ts';
import { V } from '../../../src/exporters/snmp/values.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { makeDef } from '../../helpers/domain-def.ts';
import { sampleFor } from '../../helpers/snmp-bridge.ts';

test('when the live listing fails, rows come from the snapshot and the failure is logged once', async () => {
  const store = new SnapshotStore();
  const d = { uuid: 'a1000000-0000-4000-8000-0000000000a1', name: 'vm', state: 1, id: 1 };
  store.set({ sample: sampleFor(d, 1), def: makeDef(d.name, d.uuid), persistent: true });
  store.commit();
  const logs: RecordedLog[] = [];
  const engine = new SnmpEngine({
    snapshot: store, live: { listDomains: () => Promise.reject(new Error('driver gone')) }, logger: recordingLogger(logs),
    listInactive: false, actions: { perform: () => Promise.reject(new Error('unused')) },
  });
  for (let i = 0; i < 3; i++) {
    const r = await engine.handle({ type: PduType.GET_NEXT, requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: GUEST_ENTRY, value: V.null }] }, { writable: false, actor: 't' }, 8000);
    assert.deepEqual(r.varbinds[0]?.value, V.str('vm'));
  }
  assert.equal(logs.filter((l) => l.level === 'warn').length, 1);
});

test('snmpEngineBoots: 1 on first start, +1 on each start, a corrupt file is refused naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vmtboots-'));
  try {
    const file = join(dir, 'snmp-engine-boots');
    assert.equal(await bumpEngineBoots(file), 1);
    assert.equal(await bumpEngineBoots(file), 2);
    assert.equal((await readFile(file, 'utf8')).trim(), '2');
    await writeFile(file, 'garbage');
    await assert.rejects(bumpEngineBoots(file), /snmp-engine-boots:1: snmpEngineBoots is not a number/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
