/**
 * A real Prometheus (Debian's 2.42 `prometheus` binary) for system tests: loopback only, a free port
 * found by binding port 0 first (Prometheus cannot listen on port 0 and report it), a temp TSDB, a
 * fixed 1 s scrape interval, and an HTTP API client for instant queries and target health.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { pollUntil } from './qemu.ts';
import { shortTempDir, type ShortTempDir } from './tmp-socket.ts';

/** One series of an instant-query result. */
export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly value: readonly [number, string];
}

/** A running Prometheus. */
export interface PrometheusServer {
  readonly url: string;
  /** Instant query; throws on an API error. */
  query(promql: string): Promise<PromSeries[]>;
  /** Active targets with health and last error. */
  targets(): Promise<Array<{ scrapeUrl: string; health: string; lastError: string }>>;
  /** Stops the process and removes its directory (safe to call twice). */
  stop(): Promise<void>;
  /** Prometheus's own log so far (for failure messages). */
  log(): string;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const address = server.address();
  await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

/** Starts Prometheus scraping `targets` (`host:port`) at `metricsPath` every second. */
export async function startPrometheus(targets: readonly string[], metricsPath = '/metrics'): Promise<PrometheusServer> {
  const tmp: ShortTempDir = await shortTempDir('p');
  const port = await freePort();
  const cfg = `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
scrape_configs:
  - job_name: virtmon
    metrics_path: ${metricsPath}
    static_configs:
      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]
`;
  await writeFile(tmp.path('prometheus.yml'), cfg);
  let output = '';
  const child: ChildProcess = spawn('prometheus', [
    `--config.file=${tmp.path('prometheus.yml')}`, `--storage.tsdb.path=${tmp.path('data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
  const exited = new Promise<void>((resolve) => { child.once('exit', () => { resolve(); }); });
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => { child.kill('SIGKILL'); }, 5000);
        await exited;
        clearTimeout(killer);
      }
    }
    await tmp.remove();
  };
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = await res.json() as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus API ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  try {
    await pollUntil('Prometheus ready', 30_000, async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${output}`);
      try {
        return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, 200);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    query: async (q) => (await api<{ result: PromSeries[] }>(`/api/v1/query?query=${encodeURIComponent(q)}`)).result,
    targets: async () => (await api<{ activeTargets: Array<{ scrapeUrl: string; health: string; lastError: string }> }>('/api/v1/targets')).activeTargets,
    stop,
    log: () => output,
  };
}
