/**
 * `/metrics` as a fastify plugin (style.md habit 12). Dependencies come in the plugin options: the
 * snapshot (read only), the agent's prom-client Registry with its self metrics, and the resolved options.
 *
 * A response is the cached domain part of the current snapshot version (rendered through the catalog,
 * see exposition-cache.ts) followed by the registry's metrics rendered fresh (small: process, Node.js and
 * virtmon_* series) and, for OpenMetrics, `# EOF`. With gzip both parts are separate gzip members: RFC
 * 1952 allows a member sequence and Go's reader (Prometheus) and zlib in Node read it as one stream, so
 * the big part is compressed once per version, not per scrape. The handler never waits on a hypervisor.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Logger } from '../../domain/logger.ts';
import type { SnapshotView } from '../../snapshot/types.ts';
import { authHook } from './auth.ts';
import { ExpositionCache } from './exposition-cache.ts';
import { CONTENT_TYPES, acceptsGzip, negotiateFormat } from './format.ts';
import type { ExpositionFormat } from './format.ts';
import type { ResolvedPrometheusOptions } from './options.ts';
import { DomainRenderer } from './render-domains.ts';
import { renderRegistry } from './render-registry.ts';
import type { SelfMetrics } from './self-metrics.ts';

const gzip = promisify(gzipCb);

/** Options of {@link prometheusPlugin}. */
export interface PrometheusPluginOptions {
  readonly snapshot: SnapshotView;
  /** The agent's registry (self metrics, process metrics); rendered after the domain series. */
  readonly registry: Registry;
  readonly selfMetrics: SelfMetrics;
  readonly options: ResolvedPrometheusOptions;
  readonly logger?: Logger;
  /** Receives the cache, for tests and the benchmark (render counts, yields). */
  readonly onCache?: (cache: ExpositionCache) => void;
}

/** Serves GET (and HEAD) `options.path` from the snapshot. */
export const prometheusPlugin: FastifyPluginAsync<PrometheusPluginOptions> = (app, opts) => {
  const { snapshot, registry, selfMetrics, options } = opts;
  const renderer = new DomainRenderer(options.catalog, options.extras);
  const cache = new ExpositionCache(snapshot, renderer, { sliceMs: options.sliceMs, gzipLevel: options.gzipLevel });
  opts.onCache?.(cache);
  const onRegistryError = (name: string, err: unknown): void => {
    opts.logger?.warn({ metric: name, err: String(err) }, 'self metric left out of /metrics: its collect() failed');
  };

  if (options.auth !== undefined) app.addHook('onRequest', authHook(options.auth));

  // Pre-render each new version in the format (and encoding) the last scrape asked for, so the first
  // scrape after a cycle is usually served from the cache too. Nothing is rendered before a first scrape.
  let last: { format: ExpositionFormat; gzip: boolean } | undefined;
  if (options.prerender) {
    const unsubscribe = snapshot.subscribe(() => {
      const want = last;
      if (want === undefined) return;
      setImmediate(() => {
        cache.body(want.format)
          .then((b) => (want.gzip ? b.gzip() : b.raw))
          .catch((err: unknown) => { opts.logger?.error({ err: String(err) }, 'pre-rendering /metrics failed'); });
      });
    });
    app.addHook('onClose', (_instance, done) => {
      unsubscribe();
      done();
    });
  }

  app.get(options.path, async (request: FastifyRequest, reply: FastifyReply) => {
    const started = performance.now();
    const format = negotiateFormat(request.headers.accept);
    const compress = acceptsGzip(request.headers['accept-encoding']);
    last = { format, gzip: compress };
    const domains = await cache.body(format);
    let tail = await renderRegistry(registry, format, onRegistryError);
    if (format === 'openmetrics') tail += '# EOF\n';
    const tailBuf = Buffer.from(tail, 'utf8');
    let payload: Buffer;
    if (compress) {
      const [head, rest] = await Promise.all([domains.gzip(), gzip(tailBuf, { level: options.gzipLevel })]);
      payload = Buffer.concat([head, rest]);
      void reply.header('content-encoding', 'gzip');
    } else {
      payload = Buffer.concat([domains.raw, tailBuf]);
    }
    selfMetrics.observeScrape((performance.now() - started) / 1000);
    return reply.header('vary', 'accept, accept-encoding').type(CONTENT_TYPES[format]).send(payload);
  });
  return Promise.resolve();
};
