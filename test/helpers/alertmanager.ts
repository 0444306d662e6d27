/**
 * Starts a real Alertmanager (Debian's prometheus-alertmanager 0.25) on loopback for a test: a free
 * port, clustering off, a temp storage dir, a config given as YAML text; waits for /-/ready and stops
 * it (SIGTERM, then SIGKILL) on `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { pollUntil } from './qemu.ts';
import type { ShortTempDir } from './tmp-socket.ts';

/** A running Alertmanager. */
export interface RunningAlertmanager {
  readonly url: string;
  /** stderr so far (its log), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A port free right now on 127.0.0.1 (the OS picks it; the short race is acceptable for tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => { resolve(port); });
    });
  });
}

/** Starts Alertmanager with `configYaml` in `tmp`. */
export async function startAlertmanager(tmp: ShortTempDir, configYaml: string): Promise<RunningAlertmanager> {
  const config = tmp.path('alertmanager.yml');
  await writeFile(config, configYaml);
  const port = await freePort();
  const child: ChildProcess = spawn('prometheus-alertmanager', [
    `--config.file=${config}`, `--storage.path=${tmp.path('am-data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=debug',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr = (stderr + c.toString('utf8')).slice(-20_000); });
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
    await pollUntil('alertmanager ready', 20_000, async () => {
      if (child.exitCode !== null) throw new Error(`alertmanager exited ${child.exitCode}: ${stderr}`);
      const res = await fetch(`${url}/-/ready`).catch(() => undefined);
      return res?.ok === true ? true : undefined;
    }, 100);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, log: () => stderr, stop };
}
