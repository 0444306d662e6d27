/** Hand-made snapshot entries for status page tests (the collection itself is tested elsewhere). */
import type { DomainSample, SampleValue } from '../../src/domain/sample.ts';
import type { DomainStateCode } from '../../src/domain/states.ts';
import type { SnapshotEntry } from '../../src/snapshot/types.ts';
import { makeDef } from './domain-def.ts';

/** A snapshot entry for `name` at wall time `time` (ms) with the given native-unit fields. */
export function entry(name: string, time: number, fields: Readonly<Record<string, SampleValue>>, state: DomainStateCode = 1): SnapshotEntry {
  const uuid = `00000000-0000-4000-8000-${name.padStart(12, '0').slice(-12).replace(/[^0-9a-f]/g, 'a')}`;
  const sample: DomainSample = {
    name, uuid, id: state === 5 ? -1 : 1, active: state !== 5, state, time,
    fields: new Map(Object.entries(fields)), flags: { timedOut: false, cached: false, lastSuccess: time },
  };
  return { sample, def: makeDef(name, uuid), persistent: true };
}

/** Fields of a running 2-vCPU domain with one disk and one NIC whose counters are `k` times a base step. */
export function runningFields(k: number): Record<string, SampleValue> {
  return {
    'state.state': 1, 'state.reason': 1,
    'cpu.time': BigInt(k) * 500_000_000n,
    'balloon.current': 524288n, 'balloon.maximum': 1048576n,
    'vcpu.current': 2, 'vcpu.maximum': 2,
    'block.count': 1, 'block.0.name': 'vda', 'block.0.rd.bytes': BigInt(k) * 4096n, 'block.0.wr.bytes': BigInt(k) * 8192n,
    'net.count': 1, 'net.0.name': 'vnet0', 'net.0.rx.bytes': BigInt(k) * 1000n, 'net.0.tx.bytes': BigInt(k) * 500n,
  };
}
