/**
 * statsTargets over the control API: each domain the agent sampled becomes a target whose synthetic
 * source hands the agent's fields to the CLI's collectors group by group, so `domstats` runs its own
 * formatting on the agent's numbers.
 */
import type { DomainRef } from '../../domain/domain-ref.ts';
import { groupOfField, type SampleFields, type SampleValue } from '../../domain/sample.ts';
import type { StateWithReason } from '../../domain/states.ts';
import type { StatsTarget } from '../../domain/stats-target.ts';
import { parseDomainXml } from '../../domain/xml-parse.ts';

/** One domain of GET /v1/domstats. */
export interface WireStats extends DomainRef {
  readonly state: StateWithReason;
  readonly persistent: boolean;
  readonly xml: string;
  readonly fields: readonly (readonly [string, string, string | number | boolean])[];
}

function decode(kind: string, v: string | number | boolean): SampleValue {
  return kind === 'bigint' ? BigInt(String(v)) : v;
}

/** Builds the targets from the agent's reply. */
export function remoteStatsTargets(wire: readonly WireStats[]): StatsTarget[] {
  return wire.map((w) => {
    const state: StateWithReason = { state: w.state.state, reason: w.state.reason };
    return {
      ref: { name: w.name, uuid: w.uuid, id: w.id },
      def: parseDomainXml(w.xml),
      state: () => state,
      persistent: w.persistent,
      disks: [],
      nics: [],
      synthetic: {
        fill(group: string, into: SampleFields) {
          for (const [k, kind, v] of w.fields) if (groupOfField(k) === group) into.set(k, decode(kind, v));
        },
      },
    };
  });
}
