/** Listening on unix sockets: a stale socket file is replaced, the mode set before anyone connects. */
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { VirtmonError } from '../domain/errors.ts';

/**
 * Listens on `path` with file mode `mode` (0600 read-write, 0666 read-only). The caller holds the
 * agent's pidfile, so an existing socket file belongs to a dead agent and is removed.
 */
export async function listenUnix(app: FastifyInstance, path: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isSocket()) throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `${path} exists and is not a socket`);
    await rm(path, { force: true });
  }
  // umask would otherwise decide who may connect in the window between bind and chmod.
  const previous = process.umask(0o777 & ~mode);
  try {
    await app.listen({ path });
  } finally {
    process.umask(previous);
  }
  await chmod(path, mode);
}
