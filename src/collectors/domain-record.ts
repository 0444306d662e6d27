/**
 * What the scheduler keeps per domain between cycles: the current target, each collector's latest
 * fields with their success time and expiry, the flags, the memo the collectors keep, hints from
 * events, and the collections still in flight. {@link buildEntry} turns it into the snapshot entry.
 */
import type { DomainSample, SampleFields } from '../domain/sample.ts';
import { isActiveState } from '../domain/states.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import type { SnapshotEntry } from '../snapshot/types.ts';
import type { Collector, DomainHints } from './types.ts';

/** One collector's latest good fields. */
export interface FieldGroup {
  readonly fields: SampleFields;
  /** Wall-clock ms of the cycle that produced them. */
  readonly time: number;
  /** After this wall-clock ms they are no longer served (2 intervals, metrics.md D11). */
  readonly expiresAt: number;
  /** True when a later run failed, timed out or was skipped, so these values are from an earlier cycle. */
  cached: boolean;
}

/** The identity of a domain's process: a change means a restart or a redefinition (drop the memo). */
const generationOf = (t: StatsTarget): readonly unknown[] => [t.def, t.pid, t.qmp, t.synthetic === undefined];

/** Per-domain state. */
export class DomainRecord {
  target: StatsTarget;
  readonly groups = new Map<string, FieldGroup>();
  /** Collectors whose last run timed out (the flag stays while they back off). */
  readonly timedOut = new Set<string>();
  /** Lane id → the collection still running. */
  readonly inFlight = new Map<string, Promise<void>>();
  hints: DomainHints = {};
  lastSuccess: number | undefined;
  /** Wall-clock ms of the last update of this record's sample. */
  sampleTime: number;
  /** `state:reason` at the last listing that published it (the scheduler skips unchanged domains). */
  listedState: string | undefined;
  #memo = new Map<string, Map<string, unknown>>();
  #generation: readonly unknown[];

  constructor(target: StatsTarget, now: number) {
    this.target = target;
    this.sampleTime = now;
    this.#generation = generationOf(target);
  }

  get uuid(): string {
    return this.target.ref.uuid;
  }

  /** True while the domain has a process to sample. */
  get active(): boolean {
    return isActiveState(this.target.state().state);
  }

  /** A collector's memo. */
  memo(collector: string): Map<string, unknown> {
    let m = this.#memo.get(collector);
    if (m === undefined) {
      m = new Map();
      this.#memo.set(collector, m);
    }
    return m;
  }

  /**
   * Takes a fresh target from a listing. Returns true when it is another process (restart, new
   * definition): memo, hints and runtime fields are dropped then.
   */
  update(target: StatsTarget): boolean {
    const next = generationOf(target);
    const changed = next.some((v, i) => v !== this.#generation[i]);
    this.target = target;
    if (changed) {
      this.#generation = next;
      this.dropRuntime();
    }
    return changed;
  }

  /** Forgets everything that belonged to the running process (the domain stopped or restarted). */
  dropRuntime(): void {
    for (const name of [...this.groups.keys()]) if (name !== 'state') this.groups.delete(name);
    this.#memo = new Map();
    this.hints = {};
    this.timedOut.clear();
  }

  /** Drops expired groups; true when any went. */
  expire(now: number): boolean {
    let any = false;
    for (const [name, g] of this.groups) {
      if (g.expiresAt <= now) {
        this.groups.delete(name);
        any = true;
      }
    }
    return any;
  }
}

/** The snapshot entry of a record: groups merged in collector order, expired ones left out. */
export function buildEntry(record: DomainRecord, collectors: readonly Collector[], now: number): SnapshotEntry {
  const fields: SampleFields = new Map();
  let cached = false;
  for (const c of collectors) {
    const g = record.groups.get(c.name);
    if (g === undefined || g.expiresAt <= now) continue;
    for (const [k, v] of g.fields) fields.set(k, v);
    if (g.cached) cached = true;
  }
  const t = record.target;
  const { state } = t.state();
  const sample: DomainSample = {
    name: t.ref.name,
    uuid: t.ref.uuid,
    id: t.ref.id,
    active: isActiveState(state),
    state,
    time: record.sampleTime,
    fields,
    flags: {
      timedOut: record.timedOut.size > 0,
      cached,
      ...(record.lastSuccess === undefined ? {} : { lastSuccess: record.lastSuccess }),
    },
  };
  return { sample, def: t.def, persistent: t.persistent };
}
