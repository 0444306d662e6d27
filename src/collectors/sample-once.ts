/**
 * One synchronous sampling pass for `virtmon domstats`: a DomainSample per target with the requested
 * bulk-stats groups, in libvirt's group order. Targets of the test driver fill every group from their
 * synthetic source; for the other targets only `state.state`/`state.reason` come from the driver's
 * domain object here. The collectors (cpu, vcpu, memory, block, interface) will take over the other
 * groups for real targets once they exist; this function is where they plug in.
 */
import type { DomainSample, SampleFields, StatsGroup } from '../domain/sample.ts';
import { STATS_GROUPS } from '../domain/sample.ts';
import { isActiveState } from '../domain/states.ts';
import type { StatsTarget } from '../domain/stats-target.ts';

/** Samples every target once at wall-clock `now` (ms); `groups` in any order, duplicates ignored. */
export function sampleOnce(targets: StatsTarget[], groups: readonly StatsGroup[], now: number): DomainSample[] {
  const ordered = STATS_GROUPS.filter((g) => groups.includes(g));
  return targets.map((target) => {
    const st = target.state();
    const fields: SampleFields = new Map();
    if (target.synthetic !== undefined) {
      for (const group of ordered) target.synthetic.fill(group, fields);
    } else if (ordered.includes('state')) {
      fields.set('state.state', st.state);
      fields.set('state.reason', st.reason);
    }
    return {
      name: target.ref.name,
      uuid: target.ref.uuid,
      id: target.ref.id,
      active: isActiveState(st.state),
      state: st.state,
      time: now,
      fields,
      flags: { timedOut: false, cached: false, lastSuccess: now },
    };
  });
}
