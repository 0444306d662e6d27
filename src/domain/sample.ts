/**
 * The internal sample model (metrics.md §10): one record per domain per cycle whose `fields` are libvirt
 * bulk-stats names (`virsh domstats` keys) in native units. 64-bit counters are bigint; conversion to
 * other units happens only in the metric catalog. A field the source did not report is absent.
 */
import type { DomainStateCode } from './states.ts';

/** A field value: bigint for 64-bit counters, number for small integers and gauges, string for names. */
export type SampleValue = bigint | number | string | boolean;

/** Fields in insertion order (collectors run in bulk-stats group order, so virsh's order falls out). */
export type SampleFields = Map<string, SampleValue>;

/** Per-domain flags the agent records next to the values. */
export interface SampleFlags {
  /** The last collection exceeded the domain's budget. */
  readonly timedOut: boolean;
  /** Values come (partly) from an earlier cycle because this one did not finish. */
  readonly cached: boolean;
  /** Wall-clock ms of the last complete sample, if any. */
  readonly lastSuccess?: number;
}

/** One domain's sample. */
export interface DomainSample {
  readonly name: string;
  readonly uuid: string;
  readonly id: number;
  readonly active: boolean;
  readonly state: DomainStateCode;
  /** Wall-clock ms when the sample was taken. */
  readonly time: number;
  readonly fields: SampleFields;
  readonly flags: SampleFlags;
}

/** Bulk-stats groups in libvirt's order (virDomainStatsTypes); `virsh domstats` prints in this order. */
export const STATS_GROUPS = [
  'state',
  'cpu-total',
  'balloon',
  'vcpu',
  'interface',
  'block',
  'perf',
  'iothread',
  'memory',
  'dirtyrate',
  'vm',
] as const;
export type StatsGroup = (typeof STATS_GROUPS)[number];

/** The bulk-stats group a field belongs to, from its prefix. */
export function groupOfField(field: string): StatsGroup | 'virtmon' | 'job' | 'pool' | undefined {
  const dot = field.indexOf('.');
  const head = dot < 0 ? field : field.slice(0, dot);
  switch (head) {
    case 'state': return 'state';
    case 'cpu': return 'cpu-total';
    case 'balloon': return 'balloon';
    case 'vcpu': return 'vcpu';
    case 'net': return 'interface';
    case 'block': return 'block';
    case 'perf': return 'perf';
    case 'iothread': return 'iothread';
    case 'memory': return 'memory';
    case 'dirtyrate': return 'dirtyrate';
    case 'vm': return 'vm';
    case 'job': return 'job';
    case 'pool': return 'pool';
    case 'virtmon': return 'virtmon';
    default: return undefined;
  }
}
