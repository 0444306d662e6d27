/**
 * /metrics cost at agent shape (issue 6; performance.md §6.3, §10). Not a test: prints figures for the
 * report and bench/prometheus/RESULTS.md.
 *
 *   node --import tsx bench/prometheus/scrape.ts [domains=1000] [scrapes=200] [vcpus=2] [disks=2] [nics=1]
 *
 * A real HTTP server (fastify + prometheusPlugin + a registry with prom-client's default metrics) over
 * loopback with a keep-alive client, on a snapshot of synthetic domains (every §10 field). Per mode:
 * wall p50/p99/max and CPU per scrape, and the event-loop delay while scraping (how late a 1 ms interval
 * timer fires while a scrape is in flight, including the stretch up to the response). Modes:
 *  - cached: the same snapshot version every scrape (text, text+gzip, OpenMetrics);
 *  - first-after-cycle: a new version (fresh samples, as a cycle commits) right before every scrape, so
 *    the scrape waits for the render: sliced (sliceMs 5) and unsliced (sliceMs 0) to show what slicing buys;
 *  - after cycle, pre-rendered: the scrape comes after the plugin pre-rendered the new version;
 *  - naive baseline: prom-client labelled gauges set for every series and `registry.metrics()`.
 */
import { request, Agent } from 'node:http';
import Fastify from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { expandDomain } from '../../src/catalog/expand.ts';
import type { DomainDef } from '../../src/domain/def.ts';
import type { DomainSample } from '../../src/domain/sample.ts';
import { prometheusOptionsFromConfig } from '../../src/exporters/prometheus/options.ts';
import { prometheusPlugin } from '../../src/exporters/prometheus/plugin.ts';
import { registerSelfMetrics } from '../../src/exporters/prometheus/self-metrics.ts';
import { INITIAL_HEALTH, SnapshotStore } from '../../src/snapshot/store.ts';
import { activeSample, syntheticDef } from '../../test/helpers/catalog-sample.ts';
import { config } from '../../test/helpers/metrics-harness.ts';

const [domains = 1000, scrapes = 200, vcpus = 2, disks = 2, nics = 1] = process.argv.slice(2).map(Number);

const defs: DomainDef[] = [];
for (let i = 0; i < domains; i++) {
  const n = String(i).padStart(5, '0');
  defs.push(syntheticDef({ name: `vm${n}`, uuid: `00000000-0000-4000-8000-0000000${n}`, vcpus, disks, nics }));
}
let seed = 1n;
function commitCycle(store: SnapshotStore): void {
  seed++;
  for (const d of defs) store.set({ sample: activeSample(d, seed), def: d, persistent: true });
  store.setHealth({ ...INITIAL_HEALTH, up: true, domainCount: domains });
  store.commit();
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const f = (x: number): string => x.toFixed(2);

interface Row { mode: string; p50: number; p99: number; max: number; cpu: number; lagMax: number; lagP99: number; bytes: number }
const rows: Row[] = [];

/** Runs `n` measured calls of `once` after 5 warm-ups, with the loop-delay probes on. */
async function measure(mode: string, n: number, before: () => void | Promise<void>, once: () => Promise<number>): Promise<void> {
  for (let i = 0; i < 5; i++) { await before(); await once(); }
  const ms: number[] = [];
  let bytes = 0;
  let cpuUs = 0;
  // Loop delay counts only while a scrape is in flight (not the synthetic cycle commit in `before`).
  const lags: number[] = [0];
  let last = performance.now();
  let inScrape = false;
  const probe = setInterval(() => {
    const now = performance.now();
    if (inScrape) lags.push(Math.max(0, now - last - 1));
    last = now;
  }, 1);
  for (let i = 0; i < n; i++) {
    await before();
    await new Promise<void>((resolve) => { setImmediate(resolve); });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = t0;
    inScrape = true;
    bytes = await once();
    // The stretch since the last probe tick was blocked too (all of it, for a synchronous render).
    lags.push(Math.max(0, performance.now() - last - 1));
    inScrape = false;
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuUs += c.user + c.system;
  }
  clearInterval(probe);
  rows.push({
    mode, p50: pct(ms, 50), p99: pct(ms, 99), max: Math.max(...ms), cpu: cpuUs / n / 1000,
    lagMax: Math.max(...lags), lagP99: pct(lags, 99), bytes,
  });
}

async function server(sliceMs: number, prerender: boolean) {
  const store = new SnapshotStore();
  commitCycle(store);
  const app = Fastify();
  const registry = new Registry();
  const selfMetrics = registerSelfMetrics(registry, store, { version: 'bench' });
  await app.register(prometheusPlugin, { snapshot: store, registry, selfMetrics, options: prometheusOptionsFromConfig(config(), { sliceMs, prerender }) });
  const url = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (headers: Record<string, string>): Promise<number> => new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: '/metrics', agent, headers }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => { n += c.length; });
      res.on('end', () => { resolve(n); });
    });
    req.on('error', reject);
    req.end();
  });
  return { store, get, close: async () => { agent.destroy(); await app.close(); } };
}

const TEXT = { accept: 'text/plain;version=0.0.4' };
const GZIP = { ...TEXT, 'accept-encoding': 'gzip' };
const OM = { accept: 'application/openmetrics-text;version=1.0.0', 'accept-encoding': 'gzip' };

// Pre-rendering off where the scrape must wait for the render (else the render would run before the timer).
const sliced = await server(5, false);
const series = expandDomain(activeSample(defs[0] as DomainDef, 1n), defs[0] as DomainDef, prometheusOptionsFromConfig(config()).catalog).length;
await measure('cached, text', scrapes, () => undefined, () => sliced.get(TEXT));
await measure('cached, text+gzip', scrapes, () => undefined, () => sliced.get(GZIP));
await measure('cached, OpenMetrics+gzip', scrapes, () => undefined, () => sliced.get(OM));
const cycles = Math.max(20, Math.floor(scrapes / 5));
await measure('first after cycle, text+gzip, sliced 5 ms', cycles, () => { commitCycle(sliced.store); }, () => sliced.get(GZIP));
await sliced.close();
// The usual case with pre-rendering (the default): the scrape comes after the cycle's render finished.
const pre = await server(5, true);
await measure('after cycle, pre-rendered, text+gzip', cycles, async () => {
  commitCycle(pre.store);
  await new Promise<void>((resolve) => { setTimeout(resolve, domains >= 1000 ? 1500 : 300); });
}, () => pre.get(GZIP));
await pre.close();
const unsliced = await server(0, false);
await measure('first after cycle, text+gzip, unsliced', cycles, () => { commitCycle(unsliced.store); }, () => unsliced.get(GZIP));
await unsliced.close();

// Naive baseline: long-lived labelled gauges, every series set, then registry.metrics() (what §6.3 measured).
const naive = new Registry();
const gauges = new Map<string, Gauge>();
const samples: Array<{ def: DomainDef; sample: DomainSample }> = defs.map((def) => ({ def, sample: activeSample(def, 1n) }));
const options = prometheusOptionsFromConfig(config()).catalog;
await measure('naive prom-client: set all + metrics()', cycles, () => undefined, async () => {
  for (const { def, sample } of samples) {
    for (const s of expandDomain(sample, def, options)) {
      let g = gauges.get(s.metric.name);
      if (g === undefined) {
        g = new Gauge({ name: s.metric.name, help: s.metric.help, labelNames: [...s.metric.labelNames], registers: [naive] });
        gauges.set(s.metric.name, g);
      }
      const labels: Record<string, string> = {};
      s.metric.labelNames.forEach((l, i) => { labels[l] = s.labelValues[i] ?? ''; });
      g.set(labels, s.value);
    }
  }
  return (await naive.metrics()).length;
});

console.log(`virtmon /metrics, ${domains} domains × ${series} series = ${domains * series} domain series (vcpus ${vcpus}, disks ${disks}, nics ${nics}); Node ${process.version}`);
console.log('| mode | p50 ms | p99 ms | max ms | CPU ms/scrape | loop delay p99 / max ms | bytes |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.mode} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.max)} | ${f(r.cpu)} | ${f(r.lagP99)} / ${f(r.lagMax)} | ${r.bytes} |`);
}
const base = rows.find((r) => r.mode.startsWith('naive'));
const cached = rows.find((r) => r.mode === 'cached, text+gzip');
const first = rows.find((r) => r.mode.startsWith('first after cycle, text+gzip, sliced'));
if (base !== undefined && cached !== undefined && first !== undefined) {
  console.log(`ratios vs naive prom-client p50: cached gzip ${f(cached.p50 / base.p50)}, first-after-cycle ${f(first.p50 / base.p50)}`);
}
