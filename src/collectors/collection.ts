/**
 * What the agent builds from its config to sample a connection: the enabled collectors (config
 * `collectors.<name>.enabled`, default from the descriptor), the schedule (`collection.*`, per-collector
 * `interval`/`cron`), the domain filter (`domains.*`), the source context on `paths.*`, the scheduler
 * and the snapshot store. `latest()` is the control API's stats provider: the snapshot's samples, no
 * I/O, never waiting on a hypervisor.
 */
import type { ResolvedConfig } from '../config/resolve.ts';
import type { DomainEventListener } from '../domain/events.ts';
import type { Logger } from '../domain/logger.ts';
import type { DomainSample } from '../domain/sample.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import { SnapshotStore } from '../snapshot/store.ts';
import type { SnapshotView } from '../snapshot/types.ts';
import { COLLECTORS, enabledCollectors } from './index.ts';
import { Scheduler, type CollectorSchedule, type TargetSource } from './scheduler.ts';
import type { Timers } from './schedule/timers.ts';
import { createSourceContext, type SourceContext } from './sources/context.ts';
import { detectHostConstants } from './sources/host.ts';

/** Inputs of {@link createCollection}. */
export interface CollectionOptions {
  readonly config: Pick<ResolvedConfig, 'collection' | 'collectors' | 'domains' | 'paths'>;
  /** The connection's statsTargets and events (a drivers/dispatch Connection fits through {@link connectionSource}). */
  readonly source: TargetSource;
  readonly logger: Logger;
  /** Default: a source context on `config.paths` with the host's clock tick and page size. */
  readonly sources?: SourceContext;
  readonly store?: SnapshotStore;
  readonly timers?: Timers;
}

/** A running collection. */
export interface Collection {
  readonly store: SnapshotStore;
  readonly snapshot: SnapshotView;
  readonly scheduler: Scheduler;
  /** Latest sample of every domain in the snapshot (the API's stats provider). */
  latest(): DomainSample[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The part of a driver connection the collection uses. */
export interface StatsConnection {
  statsTargets(): Promise<StatsTarget[]>;
  supports(entry: 'onDomainEvent' | 'statsTargets'): boolean;
  onDomainEvent(listener: DomainEventListener): () => void;
}

/** A {@link TargetSource} over a driver connection (events only when the driver has them). */
export function connectionSource(conn: StatsConnection): TargetSource {
  return {
    list: () => (conn.supports('statsTargets') ? conn.statsTargets() : Promise.resolve([])),
    ...(conn.supports('onDomainEvent') ? { onEvent: (listener) => conn.onDomainEvent(listener) } : {}),
  };
}

/**
 * Config names reserved for collectors without a source in this build (metrics.md §9): `job` needs the
 * driver's job state on the stats target, `storage_pool` a pool driver. Enabling one is accepted (the
 * names are part of the config schema) but said out loud at start, since their metrics stay absent.
 */
export function reservedCollectorsEnabled(collectors: CollectionOptions['config']['collectors']): string[] {
  const known = new Set<string>(COLLECTORS.map((c) => c.name));
  return Object.entries(collectors).filter(([name, c]) => c?.enabled === true && !known.has(name)).map(([name]) => name);
}

/** Builds the collection from the resolved config (nothing starts until `start()`). */
export function createCollection(options: CollectionOptions): Collection {
  const { config } = options;
  for (const name of reservedCollectorsEnabled(config.collectors)) {
    options.logger.warn({ collector: name }, `collectors.${name} is enabled but has no source in this build; its metrics stay absent`);
  }
  const store = options.store ?? new SnapshotStore({
    onSubscriberError: (err) => { options.logger.error({ err: String(err) }, 'snapshot subscriber threw'); },
  });
  const sources = options.sources ?? createSourceContext(config.paths, { host: detectHostConstants() });
  const perCollector: Record<string, CollectorSchedule> = {};
  for (const [name, c] of Object.entries(config.collectors)) {
    if (c === undefined) continue;
    perCollector[name] = { ...(c.intervalMs === undefined ? {} : { intervalMs: c.intervalMs }), ...(c.cron === undefined ? {} : { cron: c.cron }) };
  }
  const scheduler = new Scheduler({
    source: options.source,
    store,
    sources,
    collectors: enabledCollectors(config.collectors),
    intervalMs: config.collection.intervalMs,
    ...(config.collection.cron === undefined ? {} : { cron: config.collection.cron }),
    jitterMs: config.collection.jitterMs,
    domainTimeoutMs: config.collection.domainTimeoutMs,
    perCollector,
    filter: config.domains,
    startupErrorBehavior: config.collection.startupErrorBehavior,
    logger: options.logger,
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  return {
    store,
    snapshot: store,
    scheduler,
    latest: () => [...store.entries()].map((e) => e.sample),
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
  };
}
