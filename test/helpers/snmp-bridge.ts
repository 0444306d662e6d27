/**
 * An SnmpBridge on the test driver for SNMP tests: the live listing and actions on a test:/// connection,
 * a snapshot filled with known values (a CPU time above 2^53), port 0 on loopback.
 */
import { createDirectActions } from '../../src/actions/direct.ts';
import type { Actions } from '../../src/actions/types.ts';
import { parseConfigText } from '../../src/config/load.ts';
import type { Connection } from '../../src/drivers/dispatch.ts';
import { recordingLogger, type RecordedLog } from '../../src/domain/logger.ts';
import type { DomainSample } from '../../src/domain/sample.ts';
import { SnmpBridge, type SnmpConfig } from '../../src/exporters/snmp/bridge.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import { makeDef } from './domain-def.ts';
import { openTest, type TestConn } from './test-driver.ts';

/** A running bridge and what it runs on. */
export interface BridgeFixture {
  readonly bridge: SnmpBridge;
  readonly tc: TestConn;
  readonly store: SnapshotStore;
  readonly logs: RecordedLog[];
  /** Every Actions call, in order. */
  readonly performed: Array<{ action: string; domain: string; source: string }>;
  /** `127.0.0.1:PORT` of the agent. */
  readonly target: string;
  stop(): Promise<void>;
}

/** CPU time of the first running domain: above 2^53, to check Counter64 is exact. */
export const BIG_CPU_NS = 2n ** 60n + 12345n;

/** Snapshot values for every active domain (i = position in the listing). */
export function sampleFor(d: { uuid: string; name: string; state: number; id: number }, i: number): DomainSample {
  const fields = new Map<string, bigint | number | string | boolean>([
    ['state.state', d.state],
    ['cpu.time', i === 0 ? BIG_CPU_NS : BigInt(1_000_000_000 * (i + 1))],
    ['vcpu.current', i + 1],
    ['balloon.current', 524288 + i * 1024],
    ['balloon.maximum', 1048576],
  ]);
  return {
    name: d.name, uuid: d.uuid, id: d.id, active: d.state !== 5, state: d.state as DomainSample['state'], time: 0, fields,
    flags: { timedOut: false, cached: false },
  };
}

/** Fills the store from the connection's active domains. */
export async function fillSnapshot(conn: Connection, store: SnapshotStore): Promise<void> {
  const list = (await conn.listAllDomains()).filter((d) => d.state !== 5).sort((a, b) => a.uuid.localeCompare(b.uuid));
  list.forEach((d, i) => { store.set({ sample: sampleFor(d, i), def: makeDef(d.name, d.uuid), persistent: d.persistent }); });
  store.commit();
}

/** Starts a bridge on a test:/// node (default: all-states.xml) with the snmp block from `yaml`. */
export async function startBridge(snmpYaml: string, node = 'all-states.xml', wrap?: (a: Actions) => Actions): Promise<BridgeFixture> {
  const tc = await openTest(node);
  const store = new SnapshotStore();
  await fillSnapshot(tc.conn, store);
  const config: SnmpConfig = parseConfigText(`uri: test:///default\nsnmp:\n${snmpYaml.replace(/^/gm, '  ')}\n`, 'virtmon.yaml').snmp;
  const logs: RecordedLog[] = [];
  const performed: BridgeFixture['performed'] = [];
  const direct = createDirectActions(tc.conn);
  const inner = wrap === undefined ? direct : wrap(direct);
  const actions: Actions = {
    perform: (req) => {
      performed.push({ action: req.action, domain: req.domain, source: req.source });
      return inner.perform(req);
    },
  };
  const bridge = new SnmpBridge({
    config, snapshot: store, live: { listDomains: () => tc.conn.listAllDomains() }, actions,
    subscribeEvents: (l) => tc.conn.onDomainEvent(l), logger: recordingLogger(logs),
    system: { descr: 'virtmon test', name: 'vmt-host' },
  });
  await bridge.start();
  const port = bridge.address()?.port ?? 0;
  return {
    bridge, tc, store, logs, performed, target: `127.0.0.1:${port}`,
    stop: async () => { await bridge.stop(); await tc.conn.close(); },
  };
}
