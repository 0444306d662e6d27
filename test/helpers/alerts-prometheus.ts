/**
 * Starts a real Prometheus 2.42 (Debian) on loopback for the alerting end-to-end test: a free port,
 * a temp TSDB, the given config and rule files; waits for /-/ready; `stop()` ends it.
 */
import { writeFile } from 'node:fs/promises';
import { freeLoopbackPort, startHttpDaemon, type HttpDaemon } from './http-daemon.ts';
import type { ShortTempDir } from './tmp-socket.ts';

/** A running Prometheus. */
export type RunningPrometheus = HttpDaemon;

/** Starts Prometheus; `config` may reference `rules.yml` in `tmp` (written from `rules`). */
export async function startPrometheusWithRules(tmp: ShortTempDir, config: string, rules: string): Promise<RunningPrometheus> {
  await writeFile(tmp.path('rules.yml'), rules);
  await writeFile(tmp.path('prometheus.yml'), config);
  const port = await freeLoopbackPort();
  return startHttpDaemon('prometheus', [
    `--config.file=${tmp.path('prometheus.yml')}`, `--storage.tsdb.path=${tmp.path('tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=info',
  ], port);
}
