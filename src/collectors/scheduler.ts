/**
 * The sampling scheduler (style.md habit 5; telegraf's gatherLoop, OTel's PeriodicExportingMetricReader,
 * collectd's read loop). Collectors that share a schedule form a lane: the base lane runs on
 * `collection.interval` (or `collection.cron`), a collector with its own `interval`/`cron` gets its own
 * lane. Each lane tick is one cycle:
 *
 * - no overlap: a tick while the lane's previous cycle still runs is skipped and counted;
 * - the base lane first refreshes the domain list (libvirt_up), then every domain runs the lane's
 *   collectors in a bounded pool, each domain within its budget (`domainTimeout`, clamped to the
 *   period); a domain over budget is flagged timed_out and its previous values are served cached;
 * - a domain whose previous collection is still in flight is skipped (busy-skip, counted per domain);
 * - a failing (collector, domain) source backs off: its interval doubles up to a cap and resets on
 *   success; the first failure is logged, repeats go to debug, the recovery is logged once;
 * - values older than 2 intervals expire; lifecycle events update the domain at once and trigger a
 *   re-listing, so domains appear and disappear without waiting for the next cycle.
 *
 * Results go into the {@link SnapshotStore}; commits are coalesced to one per event-loop turn.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { DomainEvent, DomainEventListener } from '../domain/events.ts';
import { LifecycleType } from '../domain/events.ts';
import { silentLogger, type Logger } from '../domain/logger.ts';
import { isActiveState } from '../domain/states.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { CollectorHealth, CycleReport } from '../snapshot/types.ts';
import { DomainRecord, buildEntry } from './domain-record.ts';
import { failureMessage } from './failure.ts';
import type { CollectorOutcome } from './run-domain.ts';
import { runDomain } from './run-domain.ts';
import { Backoff } from './schedule/backoff.ts';
import { runPool } from './schedule/pool.ts';
import { CronTicks, IntervalTicks, type TickSource } from './schedule/ticks.ts';
import { REAL_TIMERS, type TimerHandle, type Timers } from './schedule/timers.ts';
import { Turns } from './schedule/turns.ts';
import { sharedNetDev } from './sources/interface.ts';
import type { SourceContext } from './sources/context.ts';
import type { Collector } from './types.ts';

/** Where the domains come from: a connection's statsTargets and domain events. */
export interface TargetSource {
  /** Every domain of the connection, active or not. */
  list(): Promise<StatsTarget[]>;
  /** Subscribes to domain events; returns the unsubscribe function. */
  onEvent?(listener: DomainEventListener): () => void;
}

/** Which domains are sampled (config `domains`). */
export interface DomainFilter {
  readonly include: readonly RegExp[];
  readonly exclude: readonly RegExp[];
  readonly includeInactive: boolean;
}

/** A collector's own schedule (config `collectors.<name>.interval|cron`). */
export interface CollectorSchedule {
  readonly intervalMs?: number;
  readonly cron?: string;
}

/** Scheduler options. */
export interface SchedulerOptions {
  readonly source: TargetSource;
  readonly store: SnapshotStore;
  readonly sources: SourceContext;
  /** Enabled collectors, in merge order. */
  readonly collectors: readonly Collector[];
  readonly intervalMs: number;
  readonly cron?: string;
  readonly jitterMs?: number;
  /** Budget per domain per cycle, ms (clamped to each lane's period). */
  readonly domainTimeoutMs: number;
  readonly perCollector?: Readonly<Record<string, CollectorSchedule | undefined>>;
  /** Domains collected at once (default 32). */
  readonly concurrency?: number;
  /** Longest backoff interval, ms (default 300 s). */
  readonly backoffCapMs?: number;
  readonly filter?: DomainFilter;
  /** A failing first listing: `error` rejects start(), `retry`/`ignore` start anyway and retry each cycle. */
  readonly startupErrorBehavior?: 'error' | 'retry' | 'ignore';
  readonly logger?: Logger;
  readonly timers?: Timers;
  readonly random?: () => number;
  /** Close the kept fds of the source context on stop (default true). */
  readonly closeFilesOnStop?: boolean;
  /** Longest synchronous stretch of a cycle or listing before the event loop gets a turn, ms (default 4; 0 never yields). */
  readonly sliceMs?: number;
}

interface Lane {
  readonly id: string;
  readonly base: boolean;
  readonly collectors: readonly Collector[];
  readonly ticks: TickSource;
  running: Promise<void> | undefined;
  cycles: number;
}

interface CollectorTally {
  durationMs: number;
  failed: boolean;
  ran: boolean;
}

const sourceKey = (collector: string, uuid: string): string => `${collector}\u0000${uuid}`;

/** Runs the collectors for every domain on their schedules and keeps the snapshot current. */
export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #log: Logger;
  readonly #timers: Timers;
  readonly #lanes: Lane[];
  readonly #book = new Map<string, DomainRecord>();
  readonly #backoff: Backoff;
  readonly #partialFailing = new Set<string>();
  readonly #stop = new AbortController();
  readonly #collectorHealth = new Map<string, CollectorHealth>();
  readonly #errorsByKind = new Map<string, number>();
  readonly #domainSkips = new Map<string, number>();
  readonly #turns: Turns;
  #cyclesSkipped = 0;
  #up = false;
  #domainCount = 0;
  #refreshing: Promise<boolean> | undefined;
  #refreshAgain = false;
  #unsubscribe: (() => void) | undefined;
  #commitPending = false;
  #sweepTimer: TimerHandle | undefined;
  #started = false;
  #listingFailing = false;

  constructor(options: SchedulerOptions) {
    if (!(options.intervalMs > 0) && options.cron === undefined) throw new RangeError('interval must be positive');
    this.#o = options;
    this.#log = options.logger ?? silentLogger();
    this.#timers = options.timers ?? REAL_TIMERS;
    this.#backoff = new Backoff(Math.max(options.backoffCapMs ?? 300_000, options.intervalMs));
    this.#lanes = this.#buildLanes();
    this.#turns = new Turns(options.sliceMs);
    // Every domain in flight listens on the stop signal (bounded by the pool size, removed on settle).
    setMaxListeners(0, this.#stop.signal);
    for (const c of options.collectors) {
      this.#collectorHealth.set(c.name, { name: c.name, durationSeconds: 0, success: true, intervalMs: this.#laneOf(c).ticks.periodMs() });
    }
  }

  /** Lists the domains once (per startupErrorBehavior), subscribes to events, starts every lane. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const ok = await this.refresh();
    if (!ok && this.#o.startupErrorBehavior === 'error') {
      this.#started = false;
      throw new Error('the first domain listing failed (collection.startupErrorBehavior: error)');
    }
    this.#unsubscribe = this.#o.source.onEvent?.((event) => { this.#onEvent(event); });
    for (const lane of this.#lanes) {
      this.#log.info({ lane: lane.id, collectors: lane.collectors.map((c) => c.name), schedule: lane.ticks.describe }, 'collection scheduled');
      lane.ticks.start(() => { this.#tick(lane); });
    }
    this.#armSweep();
  }

  /** Stops the schedules, aborts collections in flight, waits for running cycles, releases fds. */
  async stop(): Promise<void> {
    for (const lane of this.#lanes) lane.ticks.stop();
    if (this.#sweepTimer !== undefined) this.#timers.clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#stop.abort();
    await Promise.all(this.#lanes.flatMap((l) => (l.running === undefined ? [] : [l.running])));
    await this.#refreshing;
    this.#o.store.commit();
    if (this.#o.closeFilesOnStop !== false) this.#o.sources.files.closeAll();
  }

  /** Runs one cycle of a lane now (tests, benchmarks); resolves with its report, or undefined when skipped. */
  async runCycle(laneId = 'base'): Promise<CycleReport | undefined> {
    const lane = this.#lanes.find((l) => l.id === laneId);
    if (lane === undefined) throw new RangeError(`no lane '${laneId}'`);
    return this.#cycle(lane);
  }

  /** Lane ids (`base`, then `collector:<name>` for collectors with their own schedule). */
  get laneIds(): string[] {
    return this.#lanes.map((l) => l.id);
  }

  /** Domains currently tracked. */
  get domainCount(): number {
    return this.#book.size;
  }

  /** Sizes of the internal structures (bounded-memory checks). */
  internals(): { domains: number; inFlight: number; backoff: number; memo: number; skips: number; keptFds: number } {
    let inFlight = 0;
    for (const r of this.#book.values()) inFlight += r.inFlight.size;
    return {
      domains: this.#book.size, inFlight, backoff: this.#backoff.size, memo: this.#partialFailing.size,
      skips: this.#domainSkips.size, keptFds: this.#o.sources.files.size,
    };
  }

  /**
   * Lists the domains and reconciles the book: new domains appear (state at once), gone ones disappear
   * (their fds released), restarted ones lose the old process's memo. False when the listing failed.
   * Concurrent calls share one listing; a call during a listing runs one more afterwards.
   */
  refresh(): Promise<boolean> {
    if (this.#refreshing !== undefined) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    const run = async (): Promise<boolean> => {
      let ok: boolean;
      do {
        this.#refreshAgain = false;
        ok = await this.#listOnce();
      } while (this.#refreshAgain && !this.#stop.signal.aborted);
      return ok;
    };
    this.#refreshing = run().finally(() => { this.#refreshing = undefined; });
    return this.#refreshing;
  }

  #buildLanes(): Lane[] {
    const o = this.#o;
    const jitter = this.#clampJitter(o.jitterMs ?? 0, o.intervalMs);
    const make = (id: string, base: boolean, collectors: Collector[], s: CollectorSchedule): Lane => ({
      id, base, collectors, cycles: 0, running: undefined,
      ticks: s.cron !== undefined
        ? new CronTicks(s.cron, jitter, this.#log)
        : new IntervalTicks(s.intervalMs ?? o.intervalMs, this.#clampJitter(jitter, s.intervalMs ?? o.intervalMs), this.#timers, o.random),
    });
    const own = o.collectors.filter((c) => {
      const s = o.perCollector?.[c.name];
      return s !== undefined && (s.cron !== undefined || (s.intervalMs !== undefined && s.intervalMs !== o.intervalMs));
    });
    const baseCollectors = o.collectors.filter((c) => !own.includes(c));
    const lanes = [make('base', true, baseCollectors, o.cron === undefined ? { intervalMs: o.intervalMs } : { cron: o.cron })];
    for (const c of own) lanes.push(make(`collector:${c.name}`, false, [c], o.perCollector?.[c.name] ?? {}));
    return lanes;
  }

  #clampJitter(jitterMs: number, periodMs: number): number {
    if (jitterMs < periodMs) return jitterMs;
    const clamped = periodMs / 2;
    this.#log.warn({ jitterMs, clampedMs: clamped }, 'collection.jitter is not below the interval; clamped to half of it');
    return clamped;
  }

  #laneOf(c: Collector): Lane {
    return this.#lanes.find((l) => l.collectors.includes(c)) ?? (this.#lanes[0] as Lane);
  }

  /** The per-domain budget of a lane: domainTimeout, clamped to the lane's period. */
  #budget(lane: Lane): number {
    const period = lane.ticks.periodMs();
    return Math.max(1, Math.min(this.#o.domainTimeoutMs, period));
  }

  #tick(lane: Lane): void {
    this.#sweep();
    if (lane.running !== undefined) {
      this.#cyclesSkipped++;
      this.#log.debug({ lane: lane.id }, 'previous cycle still running; tick skipped');
      this.#publishHealth();
      return;
    }
    void this.#cycle(lane);
  }

  async #cycle(lane: Lane): Promise<CycleReport | undefined> {
    if (lane.running !== undefined) {
      this.#cyclesSkipped++;
      this.#publishHealth();
      return undefined;
    }
    let report: CycleReport | undefined;
    const body = async (): Promise<void> => {
      const startedAt = this.#timers.now();
      const t0 = performance.now();
      if (lane.base) await this.refresh();
      if (this.#stop.signal.aborted) return;
      const netDev = sharedNetDev(this.#o.sources);
      const tallies = new Map<string, CollectorTally>(lane.collectors.map((c) => [c.name, { durationMs: 0, failed: false, ran: false }]));
      let timedOut = 0;
      const records = [...this.#book.values()];
      await runPool(records, this.#o.concurrency ?? 32, async (record) => {
        if (await this.#collectDomain(lane, record, netDev, tallies, startedAt)) timedOut++;
      }, this.#turns);
      lane.cycles++;
      for (const c of lane.collectors) this.#updateCollectorHealth(c, lane, tallies.get(c.name));
      if (lane.base && lane.cycles % 10 === 0) {
        this.#o.sources.files.sweepIdle(3 * Math.max(...this.#lanes.map((l) => l.ticks.periodMs())));
      }
      report = { startedAt, durationSeconds: (performance.now() - t0) / 1000, domains: records.length, timedOut };
      this.#publishHealth();
      this.#o.store.reportCycle(report);
    };
    lane.running = body().catch((error: unknown) => {
      this.#log.error({ lane: lane.id, err: failureMessage(error) }, 'collection cycle failed');
    }).finally(() => { lane.running = undefined; });
    await lane.running;
    return report;
  }

  /** Collects one domain in one lane; true when it ran over budget. */
  async #collectDomain(
    lane: Lane, record: DomainRecord, netDev: ReturnType<typeof sharedNetDev>, tallies: Map<string, CollectorTally>, now: number,
  ): Promise<boolean> {
    const uuid = record.uuid;
    if (record.inFlight.has(lane.id)) {
      this.#domainSkips.set(uuid, (this.#domainSkips.get(uuid) ?? 0) + 1);
      for (const c of lane.collectors) {
        const g = record.groups.get(c.name);
        if (g !== undefined) g.cached = true;
      }
      this.#log.debug({ domain: record.target.ref.name, lane: lane.id }, 'previous collection still in flight; domain skipped');
      this.#publish(record, now);
      return true;
    }
    const base = lane.ticks.periodMs();
    const due = lane.collectors.filter((c) => this.#backoff.due(sourceKey(c.name, uuid), now, base));
    if (due.length === 0) return false;
    const target = record.target;
    const { result, settled } = runDomain(target, {
      collectors: due,
      sources: this.#o.sources,
      netDev,
      now,
      budgetMs: this.#budget(lane),
      memo: (name) => record.memo(name),
      hints: record.hints,
      timers: this.#timers,
      signal: this.#stop.signal,
    });
    record.inFlight.set(lane.id, settled);
    void settled.then(() => {
      if (record.inFlight.get(lane.id) === settled) record.inFlight.delete(lane.id);
    });
    const run = await result;
    // The domain went away or restarted meanwhile: these results describe a process that is gone.
    if (this.#book.get(uuid) !== record || record.target !== target) return run.timedOut;
    const active = record.active;
    let allGood = !run.timedOut;
    for (const c of due) {
      const outcome = run.outcomes.get(c.name);
      if (outcome === undefined) continue;
      const tally = tallies.get(c.name);
      if (tally !== undefined) {
        tally.ran = true;
        tally.durationMs += outcome.durationMs;
      }
      if (!this.#apply(record, c, outcome, now, base, active)) {
        allGood = false;
        if (tally !== undefined) tally.failed = true;
      }
    }
    if (allGood) record.lastSuccess = now;
    record.sampleTime = now;
    this.#publish(record, now);
    return run.timedOut;
  }

  /** Applies one collector's outcome to a record; false when it failed. */
  #apply(record: DomainRecord, c: Collector, outcome: CollectorOutcome, now: number, baseMs: number, active: boolean): boolean {
    const key = sourceKey(c.name, record.uuid);
    // A child logger per (collector, domain) and cycle is costly at 1,000 domains: only when something is logged.
    const log = (): Logger => this.#log.child({ collector: c.name, domain: record.target.ref.name });
    for (const f of outcome.failures) this.#errorsByKind.set(f.kind, (this.#errorsByKind.get(f.kind) ?? 0) + 1);
    if (outcome.status === 'ok') {
      if (active || c.name === 'state') {
        record.groups.set(c.name, { fields: outcome.fields, time: now, expiresAt: now + 2 * baseMs, cached: false });
      }
      record.timedOut.delete(c.name);
      if (this.#backoff.success(key)) log().info('collector recovered');
      const partial = outcome.failures[0];
      if (partial !== undefined) {
        if (!this.#partialFailing.has(key)) {
          this.#partialFailing.add(key);
          log().warn({ kind: partial.kind, err: failureMessage(partial.error) }, 'collector source partly failed; fields left out');
        }
      } else if (this.#partialFailing.delete(key)) {
        log().info('collector source recovered');
      }
      return true;
    }
    const g = record.groups.get(c.name);
    if (g !== undefined) g.cached = true;
    if (outcome.status === 'timeout') record.timedOut.add(c.name);
    else record.timedOut.delete(c.name);
    const first = outcome.failures[0];
    const t = this.#backoff.failure(key, now, baseMs);
    const fields = { kind: first?.kind ?? 'internal', err: failureMessage(first?.error), retryInMs: t.intervalMs };
    if (t.first) log().warn(fields, 'collector failed; backing off');
    else log().debug(fields, 'collector still failing');
    return false;
  }

  #updateCollectorHealth(c: Collector, lane: Lane, tally: CollectorTally | undefined): void {
    const base = lane.ticks.periodMs();
    let interval = base;
    for (const uuid of this.#book.keys()) interval = Math.max(interval, this.#backoff.intervalMs(sourceKey(c.name, uuid), base));
    const prev = this.#collectorHealth.get(c.name);
    this.#collectorHealth.set(c.name, {
      name: c.name,
      durationSeconds: (tally?.durationMs ?? 0) / 1000,
      success: tally?.ran === true ? !tally.failed : (prev?.success ?? true),
      intervalMs: interval,
    });
  }

  async #listOnce(): Promise<boolean> {
    let targets: StatsTarget[];
    try {
      targets = await this.#withDeadline(this.#o.source.list(), this.#o.domainTimeoutMs, 'domain listing');
    } catch (error) {
      this.#up = false;
      if (!this.#listingFailing) this.#log.warn({ err: failureMessage(error) }, 'domain listing failed; keeping the last list');
      this.#listingFailing = true;
      this.#errorsByKind.set('driver', (this.#errorsByKind.get('driver') ?? 0) + 1);
      this.#publishHealth();
      return false;
    }
    if (this.#listingFailing) this.#log.info('domain listing recovered');
    this.#listingFailing = false;
    this.#up = true;
    this.#domainCount = targets.length;
    const now = this.#timers.now();
    const seen = new Set<string>();
    for (const target of targets) {
      const turn = this.#turns.due();
      if (turn !== undefined) await turn;
      if (!this.#wanted(target)) continue;
      const uuid = target.ref.uuid;
      seen.add(uuid);
      let record = this.#book.get(uuid);
      let changed = false;
      if (record === undefined) {
        record = new DomainRecord(target, now);
        this.#book.set(uuid, record);
        changed = true;
      } else if (record.update(target)) {
        this.#o.sources.files.release(uuid);
        this.#backoff.forget((k) => k.endsWith(`\u0000${uuid}`));
        changed = true;
      }
      // Unchanged domains are left to the cycle's own state collector: re-publishing all of them on
      // every listing doubled the per-domain work of a cycle.
      const { state, reason } = target.state();
      const listed = `${state}:${reason}`;
      if (!changed && listed === record.listedState) continue;
      if (!record.active) this.#deactivate(record);
      record.listedState = listed;
      this.#collectState(record, now);
    }
    for (const [uuid, record] of this.#book) {
      if (!seen.has(uuid)) this.#remove(record);
    }
    this.#publishHealth();
    return true;
  }

  #wanted(target: StatsTarget): boolean {
    const f = this.#o.filter;
    if (f === undefined) return true;
    const { name, uuid } = target.ref;
    const matches = (r: RegExp): boolean => r.test(name) || r.test(uuid);
    if (f.include.length > 0 && !f.include.some(matches)) return false;
    if (f.exclude.some(matches)) return false;
    return f.includeInactive || this.#isActive(target);
  }

  #isActive(target: StatsTarget): boolean {
    return isActiveState(target.state().state);
  }

  /** The state group needs no I/O: refresh it whenever the domain is touched. */
  #collectState(record: DomainRecord, now: number): void {
    const state = this.#o.collectors.find((c) => c.name === 'state');
    if (state !== undefined) {
      const fields = new Map<string, bigint | number | string | boolean>();
      const t = record.target;
      if (t.synthetic !== undefined) t.synthetic.fill('state', fields);
      else {
        const s = t.state();
        fields.set('state.state', s.state);
        fields.set('state.reason', s.reason);
      }
      const period = this.#laneOf(state).ticks.periodMs();
      record.groups.set('state', { fields, time: now, expiresAt: now + 2 * period, cached: false });
    }
    this.#publish(record, now);
  }

  /** A domain that stopped: its counters describe a process that is gone. */
  #deactivate(record: DomainRecord): void {
    record.dropRuntime();
    this.#o.sources.files.release(record.uuid);
    this.#backoff.forget((k) => k.endsWith(`\u0000${record.uuid}`));
  }

  #remove(record: DomainRecord): void {
    const uuid = record.uuid;
    this.#book.delete(uuid);
    this.#o.store.delete(uuid);
    this.#o.sources.files.release(uuid);
    this.#backoff.forget((k) => k.endsWith(`\u0000${uuid}`));
    for (const k of [...this.#partialFailing]) if (k.endsWith(`\u0000${uuid}`)) this.#partialFailing.delete(k);
    this.#domainSkips.delete(uuid);
    this.#scheduleCommit();
  }

  #onEvent(event: DomainEvent): void {
    const record = this.#book.get(event.domain.uuid);
    const now = this.#timers.now();
    if (event.kind === 'balloon-change') {
      if (record !== undefined) record.hints = { ...record.hints, balloonKiB: { value: BigInt(event.actualKiB), time: event.time } };
      return;
    }
    if (event.kind !== 'lifecycle') return;
    if (record !== undefined) {
      if (event.type === LifecycleType.STOPPED || !record.active) this.#deactivate(record);
      this.#collectState(record, now);
    }
    // Started, defined, undefined, stopped: the list (and the targets' pids and monitors) changed.
    void this.refresh().then((ok) => {
      if (!ok || this.#stop.signal.aborted) return;
      const fresh = this.#book.get(event.domain.uuid);
      if (fresh !== undefined && fresh.active && event.type === LifecycleType.STARTED) this.#collectNow(fresh);
    });
  }

  /** Collects a domain that just started in every lane, so its first full sample does not wait a period. */
  #collectNow(record: DomainRecord): void {
    const now = this.#timers.now();
    for (const lane of this.#lanes) {
      const tallies = new Map<string, CollectorTally>();
      void this.#collectDomain(lane, record, sharedNetDev(this.#o.sources), tallies, now);
    }
  }

  #publish(record: DomainRecord, now: number): void {
    this.#o.store.set(buildEntry(record, this.#o.collectors, now));
    this.#scheduleCommit();
  }

  #publishHealth(): void {
    this.#o.store.setHealth({
      up: this.#up,
      domainCount: this.#domainCount,
      collectors: this.#o.collectors.map((c) => this.#collectorHealth.get(c.name)).filter((h): h is CollectorHealth => h !== undefined),
      cyclesSkipped: this.#cyclesSkipped,
      domainSkips: new Map(this.#domainSkips),
      errorsByKind: new Map(this.#errorsByKind),
    });
    this.#scheduleCommit();
  }

  #scheduleCommit(): void {
    if (this.#commitPending) return;
    this.#commitPending = true;
    setImmediate(() => {
      this.#commitPending = false;
      this.#o.store.commit();
    }).unref();
  }

  /** Drops expired field groups everywhere. */
  #sweep(): void {
    const now = this.#timers.now();
    for (const record of this.#book.values()) {
      if (record.expire(now)) this.#publish(record, now);
    }
  }

  #armSweep(): void {
    const every = Math.max(50, Math.min(...this.#lanes.map((l) => l.ticks.periodMs())) / 2);
    const fire = (): void => {
      if (this.#stop.signal.aborted) return;
      this.#sweep();
      this.#sweepTimer = this.#timers.setTimeout(fire, every);
    };
    this.#sweepTimer = this.#timers.setTimeout(fire, every);
  }

  #withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.#timers.setTimeout(() => { reject(new Error(`${what} took longer than ${ms} ms`)); }, ms);
      promise.then(
        (v) => { this.#timers.clearTimeout(timer); resolve(v); },
        (e: unknown) => { this.#timers.clearTimeout(timer); reject(e instanceof Error ? e : new Error(String(e))); },
      );
    });
  }
}

