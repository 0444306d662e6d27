/**
 * Crash-safe file replacement (DESIGN.md: persistent definitions and state files are written
 * atomically): write a temp file next to the target, fsync it, rename it over the target, fsync the
 * directory. A reader sees the old content or the new one, never a torn file.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Atomically replaces `path` with `data`. */
export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(dirname(path));
}

/** fsyncs a directory so a rename or unlink in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Removes a file; a missing one is fine. */
export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
