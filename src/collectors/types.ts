/**
 * The collector contract (DESIGN.md, style.md habits 1–4): a descriptor `{ name, group, defaultEnabled,
 * collect(target, ctx) }` per file. `collect` writes libvirt bulk-stats fields into `ctx.sample` (its own
 * map; the runner merges the maps in group order), honours `ctx.signal` (the domain's deadline) and
 * never throws for one domain's fault: it reports a failed source with `ctx.fail`. The runner, not the
 * collector, times the call and records success.
 */
import type { SampleFields, StatsGroup } from '../domain/sample.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import type { NetDevTable } from './parse/net-dev.ts';
import type { SourceContext } from './sources/context.ts';

/** What went wrong, for `errorsByKind` and the complain/release log. */
export type FailureKind = 'timeout' | 'qmp' | 'monitor_closed' | 'file' | 'driver' | 'internal';

/** Facts the scheduler learned from domain events, offered to the collectors. */
export interface DomainHints {
  /** Balloon size from the last BALLOON_CHANGE event, KiB, and when it came (wall-clock ms). */
  readonly balloonKiB?: { readonly value: bigint; readonly time: number };
}

/** Everything a collector receives for one domain in one cycle. */
export interface CollectContext {
  /** This collector's fields for this domain, written in libvirt's order. */
  readonly sample: SampleFields;
  /** Aborts when the domain's budget is spent (or the scheduler stops). */
  readonly signal: AbortSignal;
  /** Roots, cgroup layout, host constants and the kept-fd reader. */
  readonly sources: SourceContext;
  /** /proc/net/dev, read at most once per cycle for every domain. */
  readonly netDev: () => NetDevTable | undefined;
  /** Wall-clock ms of this cycle. */
  readonly now: number;
  /** Remaining budget in ms for a QMP call (the deadline also aborts `signal`). */
  readonly timeoutMs: number;
  /** State kept per domain and collector between cycles; reset when the domain restarts. */
  readonly memo: Map<string, unknown>;
  readonly hints: DomainHints;
  /**
   * Reports a failed source. `partial: true` means the fields written are still good (a secondary
   * source failed: named block nodes, guest stats); otherwise the cycle's fields of this collector are
   * dropped and the previous ones are served as cached.
   */
  fail(kind: FailureKind, error: unknown, options?: { readonly partial?: boolean }): void;
}

/** A collector descriptor. */
export interface Collector {
  /** Name in config (`collectors.<name>`) and in `virtmon_collector_*{collector}`. */
  readonly name: string;
  /** The bulk-stats group it fills (`virtmon` for virtmon's own fields). */
  readonly group: StatsGroup | 'virtmon';
  readonly defaultEnabled: boolean;
  /** True when the collector talks to QMP (the runner then gives it the deadline). */
  readonly usesQmp: boolean;
  collect(target: StatsTarget, ctx: CollectContext): void | Promise<void>;
}
