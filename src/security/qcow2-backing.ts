/**
 * Reads the backing-file name from a qcow2 header (QEMU docs/interop/qcow2.txt): magic `QFI\xfb`,
 * backing_file_offset (u64 BE at 8), backing_file_size (u32 BE at 16, at most 1023). A qcow2 image
 * inside the image roots could otherwise point QEMU at any host file.
 */
import { open } from 'node:fs/promises';
import { VirtmonError } from '../domain/errors.ts';

const MAGIC = 0x514649fb;

/**
 * The backing file named by the image's qcow2 header, or undefined (not qcow2, or no backing file).
 * A reference that cannot be a plain file name (too long, beyond the file, a `proto:` or `json:`
 * pseudo-filename QEMU would interpret) throws VIR_ERR_ACCESS_DENIED.
 */
export async function qcow2BackingFile(path: string): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined; // a missing image or a directory: the driver reports it when it starts the domain
  }
  try {
    const header = Buffer.alloc(20);
    const { bytesRead } = await fh.read(header, 0, 20, 0);
    if (bytesRead < 20 || header.readUInt32BE(0) !== MAGIC) return undefined;
    const offset = header.readBigUInt64BE(8);
    const size = header.readUInt32BE(16);
    if (offset === 0n || size === 0) return undefined;
    const name = Buffer.alloc(Math.min(size, 1024));
    const r = size > 1023 || offset > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : await fh.read(name, 0, size, Number(offset));
    const text = name.toString('utf8');
    if (r === undefined || r.bytesRead !== size || text.includes('\0') || (!text.startsWith('/') && /^[A-Za-z0-9+.-]+:/.test(text))) {
      throw new VirtmonError('VIR_ERR_ACCESS_DENIED', `the qcow2 header of '${path}' names a backing file that is not a plain file name`);
    }
    return text;
  } finally {
    await fh.close();
  }
}
