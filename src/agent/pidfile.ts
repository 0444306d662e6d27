/**
 * The agent's pidfile doubles as its lock (libvirtd's pidfile does the same): created exclusively, it
 * refuses a second agent on the same run directory while the first one lives; a pidfile whose process
 * is gone (an agent killed with SIGKILL) is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { VirtmonError } from '../domain/errors.ts';

/** A held pidfile. */
export interface Pidfile {
  readonly path: string;
  /** Removes the pidfile if it is still ours. */
  release(): Promise<void>;
}

/** True when a process with this pid exists (EPERM: it exists but is not ours to signal). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the pidfile or throws OPERATION_FAILED naming the running agent. */
export async function acquirePidfile(path: string, pid: number = process.pid): Promise<Pidfile> {
  const me = `${pid}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o644);
      try {
        await fh.writeFile(me);
        await fh.sync();
      } finally {
        await fh.close();
      }
      return {
        path,
        async release() {
          const now = await readFile(path, 'utf8').catch(() => '');
          if (now === me) await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `cannot create pidfile ${path}: ${(err as Error).message}`, { cause: err });
      }
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== pid && processExists(owner)) {
      throw new VirtmonError('VIR_ERR_OPERATION_FAILED',
        `another virtmon agent (pid ${owner}) is running with pidfile ${path}`);
    }
    // Stale: its agent is gone (or the file is half-written garbage).
    await rm(path, { force: true });
  }
  throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `cannot take the pidfile ${path}`);
}
