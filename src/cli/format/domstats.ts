/**
 * `virsh domstats` output (virshDomainStatsPrintRecord): `Domain: 'NAME'`, then `  field=value` per
 * field, records separated by a blank line. Values print as virsh prints typed parameters: integers
 * in full (bigint exact), doubles `%f`, booleans `yes`/`no`.
 */
import type { SampleFields, SampleValue } from '../../domain/sample.ts';
import { formatFixed } from './printf.ts';

/** One record: the domain name and its fields in order. */
export interface StatsRecord {
  readonly name: string;
  readonly fields: SampleFields;
}

/** Renders a typed value as vshGetTypedParamValue does. */
export function formatStatsValue(value: SampleValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? value.toFixed(0) : formatFixed(value, 6);
}

/** Renders every record; a blank line goes between records, none after the last. */
export function formatDomstats(records: readonly StatsRecord[]): string {
  return records.map((r) => {
    let out = `Domain: '${r.name}'\n`;
    for (const [field, value] of r.fields) out += `  ${field}=${formatStatsValue(value)}\n`;
    return out;
  }).join('\n');
}
