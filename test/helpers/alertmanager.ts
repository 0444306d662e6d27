/**
 * Starts a real Alertmanager (Debian's prometheus-alertmanager 0.25) on loopback for a test: a free
 * port, clustering off, a temp storage dir, a config given as YAML text; waits for /-/ready and stops
 * it (SIGTERM, then SIGKILL) on `stop()`.
 */
import { writeFile } from 'node:fs/promises';
import { freeLoopbackPort, startHttpDaemon, type HttpDaemon } from './http-daemon.ts';
import type { ShortTempDir } from './tmp-socket.ts';

/** A running Alertmanager. */
export type RunningAlertmanager = HttpDaemon;

/** Starts Alertmanager with `configYaml` in `tmp`. */
export async function startAlertmanager(tmp: ShortTempDir, configYaml: string): Promise<RunningAlertmanager> {
  const config = tmp.path('alertmanager.yml');
  await writeFile(config, configYaml);
  const port = await freeLoopbackPort();
  return startHttpDaemon('prometheus-alertmanager', [
    `--config.file=${config}`, `--storage.path=${tmp.path('am-data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=debug',
  ], port, 20_000);
}
