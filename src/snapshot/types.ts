/**
 * The snapshot contract (DESIGN.md): the latest sample per domain, written by the scheduler and read by
 * every exporter, alert rules and the API. Readers never wait on a hypervisor: they see whatever the
 * last cycle (or a lifecycle event) left here. Data flows one way; readers must not mutate entries.
 */
import type { DomainDef } from '../domain/def.ts';
import type { DomainSample } from '../domain/sample.ts';

/** One domain as exporters see it. */
export interface SnapshotEntry {
  /** Latest values; `sample.flags` says whether they are cached from an earlier cycle or timed out. */
  readonly sample: DomainSample;
  /** The live definition (parsed once per start; identical object while unchanged, so plans can be cached). */
  readonly def: DomainDef;
  readonly persistent: boolean;
}

/** How one collector did in the last cycle (node_exporter's collector_success/duration). */
export interface CollectorHealth {
  readonly name: string;
  /** Seconds spent in this collector over all domains in the last cycle. */
  readonly durationSeconds: number;
  /** True when the last cycle got data for every domain it tried. */
  readonly success: boolean;
  /** Current effective interval in ms (doubles while the source keeps failing). */
  readonly intervalMs: number;
}

/** Agent-level state the exporters render as `libvirt_up`, `libvirt_domains` and `virtmon_*`. */
export interface SnapshotHealth {
  /** The last domain listing succeeded (libvirt_up, D12). */
  readonly up: boolean;
  /** Every domain of the connection, active and inactive (libvirt_domains). */
  readonly domainCount: number;
  readonly collectors: readonly CollectorHealth[];
  /** Cycles not started because the previous one still ran. */
  readonly cyclesSkipped: number;
  /** Per domain: collections skipped because its previous sample was still in flight. */
  readonly domainSkips: ReadonlyMap<string, number>;
  /** Errors by kind (timeout, qmp, file, driver …). */
  readonly errorsByKind: ReadonlyMap<string, number>;
}

/** Read side of the snapshot. */
export interface SnapshotView {
  /** Bumps on every change (new cycle results, a domain appearing or leaving); lets exporters cache renders. */
  readonly version: number;
  /** Current entries; stale ones (older than 2 intervals) are already gone. */
  entries(): Iterable<SnapshotEntry>;
  get(uuid: string): SnapshotEntry | undefined;
  health(): SnapshotHealth;
  /** Called after every change; returns the unsubscribe function. Listeners must not throw. */
  subscribe(listener: (version: number) => void): () => void;
}

/** A completed collection cycle, for listeners that keep histograms (cycle duration). */
export interface CycleReport {
  readonly startedAt: number;
  readonly durationSeconds: number;
  readonly domains: number;
  readonly timedOut: number;
}
