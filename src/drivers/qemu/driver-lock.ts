/**
 * One process owns a driver state directory at a time (libvirtd is a singleton per URI): two owners
 * would both reconnect to the same QEMUs, whose monitors take a single client. The lock file names
 * the owner's pid and process start time; a lock whose owner is gone (a killed agent) is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { VirtmonError } from '../../domain/errors.ts';
import { isAlive, readProcStat } from './proc.ts';

/** Releases the lock. */
export type ReleaseDriverLock = () => Promise<void>;

/** Takes `<runDir>/driver.lock` or throws OPERATION_FAILED naming the owner. */
export async function acquireDriverLock(runDir: string, uri: string): Promise<ReleaseDriverLock> {
  const path = join(runDir, 'driver.lock');
  const me = JSON.stringify({ pid: process.pid, startTicks: (await readProcStat(process.pid))?.startTicks ?? 0 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(me);
        await fh.sync();
      } finally {
        await fh.close();
      }
      return async () => {
        const now = await readFile(path, 'utf8').catch(() => '');
        if (now === me) await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner: { pid?: unknown; startTicks?: unknown } = {};
    try {
      owner = JSON.parse(await readFile(path, 'utf8')) as typeof owner;
    } catch {
      // unreadable or half-written: treat as stale
    }
    const pid = typeof owner.pid === 'number' ? owner.pid : 0;
    const ticks = typeof owner.startTicks === 'number' ? owner.startTicks : undefined;
    if (pid > 0 && (await isAlive(pid, ticks))) {
      throw new VirtmonError('VIR_ERR_OPERATION_FAILED',
        `${uri} state in ${runDir} is in use by process ${pid}${pid === process.pid ? ' (this process: open it once and share the connection)' : ''}`);
    }
    await rm(path, { force: true });
  }
  throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `cannot take the driver lock ${path}`);
}
