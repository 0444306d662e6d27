/**
 * snmpEngineBoots kept across restarts (RFC 3414 §2.2.2): read the last value from a file, add one, and
 * write it back atomically (temp file, fsync, rename) before the agent answers v3 requests. An increasing
 * value is what makes v3 messages captured before a restart useless after it.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { VirtmonError } from '../../domain/errors.ts';

/** RFC 3414: at 2147483647 the engine stays there (and must be re-keyed). */
const MAX_BOOTS = 2147483647;

/** Returns the next snmpEngineBoots and stores it in `file` (created with 1 when missing). */
export async function bumpEngineBoots(file: string): Promise<number> {
  let last = 0;
  try {
    const text = (await readFile(file, 'utf8')).trim();
    last = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(last)) {
      throw new VirtmonError('VIRTMON_ERR_CONFIG', `${file}:1: snmpEngineBoots is not a number (got ${JSON.stringify(text.slice(0, 20))})`, { file, line: 1 });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const next = Math.min(last + 1, MAX_BOOTS);
  const tmp = `${file}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${next}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  return next;
}
