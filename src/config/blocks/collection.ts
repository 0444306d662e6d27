/** Sampling: the schedule, per-collector switches and the domain filter. */
import { Type } from 'typebox';
import { Block, Duration, Strict } from './common.ts';

/** Collector names; kept in sync with src/collectors/index.ts by a test. */
export const COLLECTOR_NAMES = [
  'state', 'cpu', 'vcpu', 'memory', 'block', 'interface', 'job', 'storage_pool', 'cgroup',
] as const;

const CollectorBlock = Strict({
  enabled: Type.Optional(Type.Boolean({ description: 'default: the collector\'s own default' })),
  interval: Type.Optional(Duration('own interval instead of collection.interval')),
  cron: Type.Optional(Type.String({ description: 'cron expression (node-cron) instead of an interval' })),
}, 'one collector');

export const CollectionBlock = Block({
  interval: Duration('how often every domain is sampled', '10s'),
  cron: Type.Optional(Type.String({ description: 'cron expression (node-cron); replaces interval' })),
  jitter: Duration('random delay added to each cycle, spreads load', '0s'),
  domainTimeout: Duration('budget per domain per cycle; late domains are served cached', '3s'),
  startupErrorBehavior: Type.Enum(['error', 'retry', 'ignore'], {
    default: 'retry', description: 'what a collector does when its source fails at start',
  }),
}, 'the sampling schedule');

export const CollectorsBlock = Type.Object(
  Object.fromEntries(COLLECTOR_NAMES.map((name) => [name, Type.Optional(CollectorBlock)])),
  { additionalProperties: false, description: 'collectors enabled by name', default: {} },
);

export const DomainsBlock = Block({
  include: Type.Array(Type.String(), { default: [], description: 'regexes on name or UUID; empty = all' }),
  exclude: Type.Array(Type.String(), { default: [], description: 'regexes on name or UUID' }),
  includeInactive: Type.Boolean({ default: true, description: 'export the info series of shut-off domains' }),
}, 'which domains are sampled and exported');
