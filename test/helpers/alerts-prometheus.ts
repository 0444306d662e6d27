/**
 * Starts a real Prometheus 2.42 (Debian) on loopback for the alerting end-to-end test: a free port,
 * a temp TSDB, the given config and rule files; waits for /-/ready; `stop()` ends it.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { freePort } from './alertmanager.ts';
import { pollUntil } from './qemu.ts';
import type { ShortTempDir } from './tmp-socket.ts';

/** A running Prometheus. */
export interface RunningPrometheus {
  readonly url: string;
  log(): string;
  stop(): Promise<void>;
}

/** Starts Prometheus; `config` may reference `rules.yml` in `tmp` (written from `rules`). */
export async function startPrometheusWithRules(tmp: ShortTempDir, config: string, rules: string): Promise<RunningPrometheus> {
  await writeFile(tmp.path('rules.yml'), rules);
  await writeFile(tmp.path('prometheus.yml'), config);
  const port = await freePort();
  const child = spawn('prometheus', [
    `--config.file=${tmp.path('prometheus.yml')}`, `--storage.tsdb.path=${tmp.path('tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=info',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString('utf8')).slice(-20_000); });
  const exited = new Promise<void>((resolve) => { child.once('exit', () => { resolve(); }); });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => { child.kill('SIGKILL'); }, 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    await pollUntil('prometheus ready', 30_000, async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${stderr}`);
      const res = await fetch(`${url}/-/ready`).catch(() => undefined);
      return res?.ok === true ? true : undefined;
    }, 100);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, log: () => stderr, stop };
}
