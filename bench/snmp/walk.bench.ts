/**
 * Cost of serving LIBVIRT-MIB (not a test; numbers go in bench/snmp/RESULTS.md):
 *
 *   node --import tsx bench/snmp/walk.bench.ts [domains=1000] [rounds=20]
 *
 * Measures, in process (no sockets), the CPU of one GETNEXT request, one GETBULK request (max-repetitions
 * 50, 8 KiB budget) and of a whole bulk walk of the guest table, each including the per-request view
 * build from the live listing and the snapshot. Ratios against the GETNEXT cost are printed.
 */
import { SnmpEngine } from '../../src/exporters/snmp/engine.ts';
import { GUEST_ENTRY, type LiveDomain } from '../../src/exporters/snmp/libvirt-mib.ts';
import { startsWith } from '../../src/exporters/snmp/oid.ts';
import { PduType, type Pdu } from '../../src/exporters/snmp/pdu.ts';
import { V } from '../../src/exporters/snmp/values.ts';
import { silentLogger } from '../../src/domain/logger.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import { makeDef } from '../../test/helpers/domain-def.ts';
import { sampleFor } from '../../test/helpers/snmp-bridge.ts';

const [domains = 1000, rounds = 20] = process.argv.slice(2).map(Number);
const list: LiveDomain[] = [];
const store = new SnapshotStore();
for (let i = 0; i < domains; i++) {
  const hex = i.toString(16).padStart(12, '0');
  const d = { uuid: `0000${hex.slice(0, 4)}-0000-4000-8000-${hex}`, name: `vm${i}`, state: 1, id: i + 1 };
  list.push(d);
  store.set({ sample: sampleFor(d, i), def: makeDef(d.name, d.uuid), persistent: true });
}
store.commit();
const engine = new SnmpEngine({
  snapshot: store, live: { listDomains: () => Promise.resolve(list) }, logger: silentLogger(), listInactive: false,
  actions: { perform: () => Promise.reject(new Error('read-only bench')) },
});
const who = { writable: false, actor: 'bench' };
const pdu = (type: Pdu['type'], oid: readonly number[], maxRep = 0): Pdu =>
  ({ type, requestId: 1, errorStatus: 0, errorIndex: maxRep, varbinds: [{ oid, value: V.null }] });

async function cpu(label: string, fn: () => Promise<number>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  let extra = 0;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    extra = await fn();
    const c = process.cpuUsage(c0);
    samples.push((c.user + c.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  console.log(`${label.padEnd(34)} CPU median ${median.toFixed(2)} ms  p90 ${samples[Math.floor(samples.length * 0.9)]!.toFixed(2)} ms  ${extra ? `(${extra} requests)` : ''}`);
  return median;
}

const next = await cpu('GETNEXT (one request)', async () => { await engine.handle(pdu(PduType.GET_NEXT, GUEST_ENTRY), who, 8000); return 0; });
const bulk = await cpu('GETBULK -Cr50 (one request)', async () => { await engine.handle(pdu(PduType.GET_BULK, GUEST_ENTRY, 50), who, 8000); return 0; });
const walk = await cpu('bulk walk of the table (-Cr50)', async () => {
  let oid: readonly number[] = GUEST_ENTRY;
  let requests = 0;
  for (;;) {
    requests++;
    const r = await engine.handle(pdu(PduType.GET_BULK, oid, 50), who, 8000);
    const last = r.varbinds.at(-1);
    if (last === undefined || last.value.type === 'endOfMibView' || !startsWith(last.oid, GUEST_ENTRY)) break;
    oid = last.oid;
  }
  return requests;
});
console.log(`domains ${domains}: bulk/next ${(bulk / next).toFixed(2)}x, walk/next ${(walk / next).toFixed(1)}x`);
