/**
 * Short temporary directories for unix sockets (sun_path is limited to 108 bytes, so never nest them
 * under a long test path) and unique `vmt`-prefixed names for host resources.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temp dir under the system tmpdir; `remove()` deletes it and everything inside. */
export interface ShortTempDir {
  readonly dir: string;
  /** A path inside the dir. */
  path(name: string): string;
  remove(): Promise<void>;
}

/** Creates `/tmp/vmt<tag>-XXXXXX`. */
export async function shortTempDir(tag = ''): Promise<ShortTempDir> {
  const dir = await mkdtemp(join(tmpdir(), `vmt${tag}-`));
  return {
    dir,
    path: (name) => join(dir, name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A host-resource name `vmt<pid36><rand>` of at most 15 characters (IFNAMSIZ - 1). */
export function uniqueHostName(): string {
  return `vmt${process.pid.toString(36)}${randomBytes(3).toString('hex')}`.slice(0, 15);
}
