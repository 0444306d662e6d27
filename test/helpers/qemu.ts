/**
 * Spawns QEMU for system tests (argv array, no shell) and kills it for sure: register `kill()` in
 * `after()`/`t.after()` right after spawning.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { access } from 'node:fs/promises';

/** A running QEMU. */
export interface QemuProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What QEMU wrote to stderr so far (capped at 64 KiB). */
  stderr(): string;
  /** SIGKILL unless already gone; resolves after exit. */
  kill(): Promise<void>;
}

/** Starts `qemu-system-x86_64 ARGS`. */
export function spawnQemu(args: readonly string[]): QemuProcess {
  const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    if (err.length < 65536) err += s;
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once('error', (e) => {
      err += String(e);
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  if (child.pid === undefined) throw new Error('qemu-system-x86_64 did not start (is qemu-system-x86 installed? run scripts/setup-debian.sh)');
  return {
    pid: child.pid,
    child,
    exited,
    stderr: () => err,
    kill: async () => {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits until `path` exists (QEMU's monitor socket), or throws with QEMU's stderr. */
export async function waitForPath(path: string, qemu: QemuProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await access(path);
      return;
    } catch {
      if (qemu.child.exitCode !== null) throw new Error(`QEMU exited (${qemu.child.exitCode}): ${qemu.stderr()}`);
      if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms; QEMU stderr: ${qemu.stderr()}`);
      await sleep(20);
    }
  }
}

/** Polls `probe` until it returns a value other than undefined, or throws `what` after `timeoutMs`. */
export async function pollUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
