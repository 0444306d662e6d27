/**
 * Test harnesses for the Prometheus exporter: a snapshot filled once from the test driver's synthetic
 * statistics (deterministic: stepped driver clock, fixed sample time) for goldens and promtool, and a
 * small fastify server composing a connection + createCollection + prometheusPlugin, as the agent will.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { connectionSource, createCollection, type Collection } from '../../src/collectors/collection.ts';
import { sampleOnce } from '../../src/collectors/sample-once.ts';
import { parseConfigText } from '../../src/config/load.ts';
import type { ResolvedConfig } from '../../src/config/resolve.ts';
import { silentLogger } from '../../src/domain/logger.ts';
import { STATS_GROUPS } from '../../src/domain/sample.ts';
import type { Connection } from '../../src/drivers/dispatch.ts';
import { prometheusOptionsFromConfig, type PrometheusTuning, type ResolvedPrometheusOptions } from '../../src/exporters/prometheus/options.ts';
import { prometheusPlugin } from '../../src/exporters/prometheus/plugin.ts';
import type { ExpositionCache } from '../../src/exporters/prometheus/exposition-cache.ts';
import { registerSelfMetrics } from '../../src/exporters/prometheus/self-metrics.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import type { SnapshotView } from '../../src/snapshot/types.ts';
import { openTest, type TestConn } from './test-driver.ts';

/** Fixed wall-clock time of the golden samples (ms). */
export const GOLDEN_NOW = 1_700_000_100_000;

/** The Nova-tagged fixture domain XML (test/fixtures/xml/openstack-nova.xml). */
export const NOVA_XML = readFileSync(new URL('../fixtures/xml/openstack-nova.xml', import.meta.url), 'utf8');

/** The alias sets and a Nova project label: the widest exposition. */
export const WIDE_CONFIG = `metrics:
  compat: [tinkoff, kumina, inovex1]
  metadataLabels:
    - { label: project, namespace: "http://openstack.org/xmlns/libvirt/nova/1.1", xpath: "/nova:instance/nova:owner/nova:project/text()" }
    - { label: flavor, namespace: "http://openstack.org/xmlns/libvirt/nova/1.1", xpath: "instance/flavor/@name" }
`;

/** Config text → resolved config (throws on problems). */
export function config(yaml = ''): ResolvedConfig {
  return parseConfigText(yaml, 'virtmon.yaml');
}

/**
 * The all-states node plus the Nova domain (started), stepped 60 s so counters are non-zero, sampled once
 * into a fresh store. Deterministic.
 */
export async function goldenSnapshot(): Promise<{ store: SnapshotStore; tc: TestConn }> {
  const tc = await openTest('all-states.xml');
  const nova = await tc.conn.defineXML(NOVA_XML);
  await tc.conn.create(nova);
  tc.clock.advance(60_000);
  const targets = await tc.conn.statsTargets();
  const samples = await sampleOnce(targets, [...STATS_GROUPS], GOLDEN_NOW);
  const store = new SnapshotStore();
  for (const t of targets) {
    const sample = samples.find((s) => s.uuid === t.ref.uuid);
    if (sample !== undefined) store.set({ sample, def: t.def, persistent: t.persistent });
  }
  store.setHealth({ ...store.health(), up: true, domainCount: targets.length });
  store.commit();
  return { store, tc };
}

/** A fastify app with the plugin on `snapshot`; the registry has no default metrics unless asked. */
export async function metricsApp(
  snapshot: SnapshotView, options: ResolvedPrometheusOptions, extra: { defaultMetrics?: boolean; https?: { cert: Buffer; key: Buffer } } = {},
): Promise<{ app: FastifyInstance; registry: Registry; cache: () => ExpositionCache }> {
  // The HTTPS instance differs only in its server type; the plugin does not care which it is.
  const app = extra.https === undefined ? Fastify() : Fastify({ https: extra.https }) as unknown as FastifyInstance;
  const registry = new Registry();
  const selfMetrics = registerSelfMetrics(registry, snapshot, { version: '0.1.0-test', defaultMetrics: extra.defaultMetrics ?? false });
  let cache: ExpositionCache | undefined;
  await app.register(prometheusPlugin, { snapshot, registry, selfMetrics, options, onCache: (c) => { cache = c; } });
  await app.ready();
  return {
    app, registry, cache: () => {
      if (cache === undefined) throw new Error('plugin not registered');
      return cache;
    },
  };
}

/** The agent's composition for one connection: collection + registry + self metrics + plugin, listening. */
export interface ComposedAgent {
  readonly app: FastifyInstance;
  readonly collection: Collection;
  readonly url: string;
  /** `Accept` and `Accept-Encoding` of every request so far (what the scraper negotiated). */
  readonly requests: Array<{ readonly accept: string; readonly encoding: string }>;
  close(): Promise<void>;
}

/** Composes and starts what the agent will: createCollection on `conn`, the plugin on its snapshot. */
export async function composeAgent(conn: Connection, cfg: ResolvedConfig, tuning: PrometheusTuning = {}): Promise<ComposedAgent> {
  const collection = createCollection({ config: cfg, source: connectionSource(conn), logger: silentLogger() });
  const registry = new Registry();
  const selfMetrics = registerSelfMetrics(registry, collection.snapshot, { version: '0.1.0-test' });
  const unhook = collection.store.onCycle(selfMetrics.onCycle);
  const app = Fastify();
  const requests: Array<{ accept: string; encoding: string }> = [];
  app.addHook('onRequest', (request, _reply, done) => {
    requests.push({ accept: request.headers.accept ?? '', encoding: request.headers['accept-encoding'] ?? '' });
    done();
  });
  await app.register(prometheusPlugin, {
    snapshot: collection.snapshot, registry, selfMetrics, options: prometheusOptionsFromConfig(cfg, tuning),
  });
  await collection.start();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app, collection, url, requests,
    close: async () => {
      unhook();
      await collection.stop();
      await app.close();
    },
  };
}
