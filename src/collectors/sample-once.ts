/**
 * One sampling pass for `virtmon domstats` without a scheduler: a DomainSample per target with the
 * requested bulk-stats groups, in libvirt's group order, from the same collectors and per-domain runner
 * the scheduler uses (synthetic targets of the test driver fill from their source). Domains run
 * concurrently, each within `timeoutMs`; a domain over budget keeps what finished and is flagged
 * timed out.
 */
import type { DomainSample, SampleFields, StatsGroup } from '../domain/sample.ts';
import { STATS_GROUPS } from '../domain/sample.ts';
import { isActiveState } from '../domain/states.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import { collectorsForGroups } from './index.ts';
import { runDomain } from './run-domain.ts';
import { REAL_TIMERS } from './schedule/timers.ts';
import { createSourceContext, type SourceContext } from './sources/context.ts';
import { sharedNetDev } from './sources/interface.ts';
import type { SourcePaths } from './sources/roots.ts';

/** Options of {@link sampleOnce}. */
export interface SampleOnceOptions {
  /** Source context to read through (default: one on `paths`, closed afterwards). */
  readonly sources?: SourceContext;
  /** Roots when no context is given (default /proc, /sys, /sys/fs/cgroup). */
  readonly paths?: SourcePaths;
  /** Budget per domain, ms (default 5000). */
  readonly timeoutMs?: number;
}

const DEFAULT_PATHS: SourcePaths = { proc: '/proc', sys: '/sys', cgroup: '/sys/fs/cgroup' };

/** Samples every target once at wall-clock `now` (ms); `groups` in any order, duplicates ignored. */
export async function sampleOnce(
  targets: readonly StatsTarget[], groups: readonly StatsGroup[], now: number, options: SampleOnceOptions = {},
): Promise<DomainSample[]> {
  const all = STATS_GROUPS.every((g) => groups.includes(g));
  const collectors = collectorsForGroups(groups, all);
  const needsHost = targets.some((t) => t.synthetic === undefined);
  const own = options.sources === undefined && needsHost ? createSourceContext(options.paths ?? DEFAULT_PATHS) : undefined;
  const sources = options.sources ?? own ?? createSourceContext(options.paths ?? DEFAULT_PATHS, { cgroups: { layout: 'v2' } });
  try {
    const netDev = sharedNetDev(sources);
    return await Promise.all(targets.map(async (target) => {
      const memo = new Map<string, Map<string, unknown>>();
      const { result } = runDomain(target, {
        collectors, sources, netDev, now, budgetMs: options.timeoutMs ?? 5000, hints: {}, timers: REAL_TIMERS,
        memo: (name) => { let m = memo.get(name); if (m === undefined) { m = new Map(); memo.set(name, m); } return m; },
      });
      const run = await result;
      const fields: SampleFields = new Map();
      let complete = !run.timedOut;
      for (const c of collectors) {
        const o = run.outcomes.get(c.name);
        if (o === undefined) continue;
        if (o.status !== 'ok') complete = false;
        else for (const [k, v] of o.fields) fields.set(k, v);
      }
      const st = target.state();
      return {
        name: target.ref.name,
        uuid: target.ref.uuid,
        id: target.ref.id,
        active: isActiveState(st.state),
        state: st.state,
        time: now,
        fields,
        flags: { timedOut: run.timedOut, cached: false, ...(complete ? { lastSuccess: now } : {}) },
      };
    }));
  } finally {
    own?.files.closeAll();
  }
}
