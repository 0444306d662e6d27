/**
 * A real Prometheus for the dashboard and rule tests: Debian's binary on loopback, a free port found by
 * binding port 0 first, a temp TSDB, scrape and evaluation every second, optional rule files.
 * (The Prometheus exporter's tests have their own helper; this one also loads rule files.)
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { pollUntil } from './qemu.ts';
import { shortTempDir } from './tmp-socket.ts';

/** A running Prometheus. */
export interface PrometheusProcess {
  readonly url: string;
  /** `host:port` Prometheus itself listens on (to scrape itself). */
  readonly address: string;
  /** Stops the process and removes its directory (safe to call twice). */
  stop(): Promise<void>;
  /** Prometheus's log so far. */
  log(): string;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const address = server.address();
  await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  if (address === null || typeof address !== 'object') throw new Error('no free port');
  return address.port;
}

/** Options: scrape `targets` (`host:port`, job `virtmon`), plus Prometheus itself when `self` is set. */
export interface PrometheusOptions {
  readonly targets: readonly string[];
  readonly self?: boolean;
  readonly ruleFiles?: readonly string[];
  readonly metricsPath?: string;
}

/** Starts Prometheus and waits until it is ready. */
export async function startPrometheusProcess(options: PrometheusOptions): Promise<PrometheusProcess> {
  const tmp = await shortTempDir('pd');
  const port = await freeLoopbackPort();
  const address = `127.0.0.1:${port}`;
  const list = (xs: readonly string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  const cfg = [
    'global: { scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s }',
    `rule_files: ${list(options.ruleFiles ?? [])}`,
    'scrape_configs:',
    `  - { job_name: virtmon, metrics_path: ${JSON.stringify(options.metricsPath ?? '/metrics')}, static_configs: [{ targets: ${list(options.targets)} }] }`,
    ...(options.self === true ? [`  - { job_name: prometheus, static_configs: [{ targets: ${list([address])} }] }`] : []),
    '',
  ].join('\n');
  await writeFile(tmp.path('prometheus.yml'), cfg);
  let output = '';
  const child = spawn('prometheus', [
    `--config.file=${tmp.path('prometheus.yml')}`, `--storage.tsdb.path=${tmp.path('data')}`,
    `--web.listen-address=${address}`, '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
  const exited = new Promise<void>((resolve) => { child.once('exit', () => { resolve(); }); });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => { child.kill('SIGKILL'); }, 5000);
        await exited;
        clearTimeout(killer);
      }
    }
    await tmp.remove();
  };
  const url = `http://${address}`;
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
  return { url, address, stop, log: () => output };
}
