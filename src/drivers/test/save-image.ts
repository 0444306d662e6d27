/**
 * The test driver's save image, in libvirt's test-driver layout (testDomainSaveImageWrite): the magic
 * `TestGuestMagic` with its NUL (15 bytes), the XML length as a native (little-endian) int32, the domain
 * XML. virtmon appends one little-endian uint32, `was_running` (1/0), which libvirt's reader ignores;
 * an image without it restores running, as libvirt's test driver always does.
 */
import { open, rm, writeFile } from 'node:fs/promises';
import { VirtmonError } from '../../domain/errors.ts';
import { MAX_DOMAIN_XML_BYTES } from './definitions.ts';

const MAGIC = Buffer.from('TestGuestMagic\0', 'latin1');
const HEADER = MAGIC.length + 4;

/** What a save image holds. */
export interface SaveImage {
  readonly xml: string;
  /** Restore into RUNNING (true) or PAUSED (false), unless the restore flags say otherwise. */
  readonly wasRunning: boolean;
}

/** Writes an image; on failure nothing is left at `path` and a SYSTEM_ERROR names domain and file. */
export async function writeSaveImage(path: string, domainName: string, image: SaveImage): Promise<void> {
  const xml = Buffer.from(image.xml, 'utf8');
  const buf = Buffer.alloc(HEADER + xml.length + 4);
  MAGIC.copy(buf, 0);
  buf.writeInt32LE(xml.length, MAGIC.length);
  xml.copy(buf, HEADER);
  buf.writeUInt32LE(image.wasRunning ? 1 : 0, HEADER + xml.length);
  try {
    await writeFile(path, buf, { mode: 0o600 });
  } catch (cause) {
    await rm(path, { force: true }).catch(() => undefined);
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR',
      `saving domain '${domainName}' to '${path}': write failed: ${errorText(cause)}`, { cause, file: path });
  }
}

/** Reads an image, refusing anything that is not one (bad magic, truncated, absurd length). */
export async function readSaveImage(path: string): Promise<SaveImage> {
  let data: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      // Never read more than a valid image can hold, whatever the file is.
      data = Buffer.alloc(Math.min(size, HEADER + MAX_DOMAIN_XML_BYTES + 4));
      await fh.read(data, 0, data.length, 0);
    } finally {
      await fh.close();
    }
  } catch (cause) {
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `cannot read domain image '${path}': ${errorText(cause)}`,
      { cause, file: path });
  }
  if (data.length < MAGIC.length) {
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `incomplete save header in '${path}'`, { file: path });
  }
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new VirtmonError('VIR_ERR_INTERNAL_ERROR',
      `mismatched header magic: '${path}' is not a test driver save image`, { file: path });
  }
  if (data.length < HEADER) {
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `failed to read metadata length in '${path}'`, { file: path });
  }
  const len = data.readInt32LE(MAGIC.length);
  if (len < 1 || len > MAX_DOMAIN_XML_BYTES) {
    throw new VirtmonError('VIR_ERR_INTERNAL_ERROR', `length of metadata out of range in '${path}'`, { file: path });
  }
  if (data.length < HEADER + len) {
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `incomplete metadata in '${path}'`, { file: path });
  }
  const xml = data.subarray(HEADER, HEADER + len).toString('utf8');
  const wasRunning = data.length >= HEADER + len + 4 ? data.readUInt32LE(HEADER + len) !== 0 : true;
  return { xml, wasRunning };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
