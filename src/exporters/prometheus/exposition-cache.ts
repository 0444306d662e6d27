/**
 * The rendered domain part of /metrics, cached per snapshot version (performance.md §4, §6.3): the render
 * happens once per version (on the first scrape that needs it), each format's bytes and their gzip once
 * per version and format. Renders are serialised (they share the plans' value arrays) and concurrent
 * scrapes of one version share one render. Only the newest version is kept.
 */
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { SnapshotView } from '../../snapshot/types.ts';
import type { ExpositionFormat } from './format.ts';
import { assemble } from './render-domains.ts';
import type { DomainRenderer, RenderedDomains } from './render-domains.ts';
import { Slicer } from './slicer.ts';

const gzip = promisify(gzipCb);

/** One format's bytes of one version. */
export interface FormatBody {
  readonly raw: Buffer;
  /** Gzip of `raw`, made on first use (zlib's thread pool, so the event loop stays free). */
  gzip(): Promise<Buffer>;
}

interface VersionEntry {
  readonly version: number;
  readonly rendered: Promise<RenderedDomains>;
  readonly formats: Map<ExpositionFormat, Promise<FormatBody>>;
}

/** Settings of the cache. */
export interface ExpositionCacheOptions {
  /** Yield the event loop after this much render work (ms); 0 renders in one go. */
  readonly sliceMs: number;
  /** zlib level for the cached gzip (1 fast … 9 small). */
  readonly gzipLevel: number;
}

/** Counters for tests and the benchmark. */
export interface CacheStats {
  renders: number;
  yields: number;
  lastSeries: number;
}

/** Per-version cache of the domain exposition. */
export class ExpositionCache {
  readonly #snapshot: SnapshotView;
  readonly #renderer: DomainRenderer;
  readonly #options: ExpositionCacheOptions;
  #current: VersionEntry | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  readonly stats: CacheStats = { renders: 0, yields: 0, lastSeries: 0 };

  constructor(snapshot: SnapshotView, renderer: DomainRenderer, options: ExpositionCacheOptions) {
    this.#snapshot = snapshot;
    this.#renderer = renderer;
    this.#options = options;
  }

  #entry(): VersionEntry {
    const version = this.#snapshot.version;
    if (this.#current?.version === version) return this.#current;
    const rendered = this.#chain.then(async () => {
      const slicer = new Slicer(this.#options.sliceMs);
      const r = await this.#renderer.render(this.#snapshot, slicer);
      this.stats.renders++;
      this.stats.yields += slicer.yields;
      this.stats.lastSeries = r.series;
      return r;
    });
    // Keep the chain alive after a failed render; the failure reaches the scrape through `rendered`.
    this.#chain = rendered.catch(() => undefined);
    const entry: VersionEntry = { version, rendered, formats: new Map() };
    this.#current = entry;
    // A failed render must not stay cached: the next scrape tries again.
    rendered.catch(() => { if (this.#current === entry) this.#current = undefined; });
    return entry;
  }

  /** The domain part of the current version in `format`. */
  body(format: ExpositionFormat): Promise<FormatBody> {
    const entry = this.#entry();
    let body = entry.formats.get(format);
    if (body === undefined) {
      const level = this.#options.gzipLevel;
      body = entry.rendered.then((r) => {
        const raw = assemble(r, format);
        let gz: Promise<Buffer> | undefined;
        return { raw, gzip: () => (gz ??= gzip(raw, { level })) };
      });
      entry.formats.set(format, body);
    }
    return body;
  }
}
