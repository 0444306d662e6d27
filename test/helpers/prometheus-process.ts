/**
 * A real Prometheus for the dashboard and rule tests: Debian's binary on loopback, a free port found by
 * binding port 0 first, a temp TSDB, scrape and evaluation every second, optional rule files.
 * prometheus-server.ts adds an HTTP API client on top of it for the exporter's tests.
 */
import { writeFile } from 'node:fs/promises';
import { freeLoopbackPort, startHttpDaemon } from './http-daemon.ts';
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
  const daemon = await startHttpDaemon('prometheus', [
    `--config.file=${tmp.path('prometheus.yml')}`, `--storage.tsdb.path=${tmp.path('data')}`,
    `--web.listen-address=${address}`, '--log.level=warn',
  ], port).catch(async (err: unknown) => {
    await tmp.remove();
    throw err;
  });
  return {
    url: daemon.url, address, log: () => daemon.log(),
    stop: async () => {
      await daemon.stop();
      await tmp.remove();
    },
  };
}
