/**
 * A real server binary (Prometheus, Alertmanager) as a child process for tests: started with its
 * argv, awaited until `GET /-/ready` answers 200 (or it exits), stopped with SIGTERM then SIGKILL.
 * Its stderr and stdout are kept (last 20 kB) for failure messages.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { pollUntil } from './qemu.ts';

/** A running daemon. */
export interface HttpDaemon {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Its output so far. */
  log(): string;
  /** SIGTERM, SIGKILL after 5 s; safe to call twice. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1 (the short race is acceptable for tests). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  if (address === null || typeof address !== 'object') throw new Error('no free port');
  return address.port;
}

/** Spawns `command args` listening on `port` and waits until it is ready. */
export async function startHttpDaemon(command: string, args: readonly string[], port: number, readyTimeoutMs = 30_000): Promise<HttpDaemon> {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (c: Buffer): void => { output = (output + c.toString('utf8')).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => { child.once('exit', () => { resolve(); }); });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => { child.kill('SIGKILL'); }, 5000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await pollUntil(`${command} ready`, readyTimeoutMs, async () => {
      if (child.exitCode !== null) throw new Error(`${command} exited ${child.exitCode}: ${output}`);
      const res = await fetch(`${url}/-/ready`).catch(() => undefined);
      return res?.ok === true ? true : undefined;
    }, 100);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, log: () => output, stop };
}
