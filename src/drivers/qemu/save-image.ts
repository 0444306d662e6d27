/**
 * libvirt's QEMU save-image layout (src/qemu/qemu_saveimage.h, version 2): a 92-byte header (magic
 * `LibvirtQemudSave`, or `LibvirtQemudPart` while the image is still being written, then version,
 * data length, was_running, compression, cookie offset and 14 unused words, all native-endian uint32),
 * the NUL-terminated domain XML, then QEMU's migration stream.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { VirtmonError } from '../../domain/errors.ts';
import { MAX_DOMAIN_XML_BYTES } from './definitions.ts';

const MAGIC = Buffer.from('LibvirtQemudSave', 'latin1');
const PARTIAL = Buffer.from('LibvirtQemudPart', 'latin1');
const VERSION = 2;
/** Size of the fixed header. */
export const SAVE_HEADER_BYTES = 16 + 4 * 5 + 4 * 14;

/** What the header and metadata say. */
export interface SaveImageInfo {
  readonly xml: string;
  readonly wasRunning: boolean;
  /** Where the migration stream starts. */
  readonly streamOffset: number;
}

/** The header and metadata of a new image, marked partial until {@link markComplete}. */
export function encodeSaveHeader(xml: string, wasRunning: boolean): Buffer {
  const data = Buffer.concat([Buffer.from(xml, 'utf8'), Buffer.from([0])]);
  const head = Buffer.alloc(SAVE_HEADER_BYTES);
  PARTIAL.copy(head, 0);
  head.writeUInt32LE(VERSION, 16);
  head.writeUInt32LE(data.length, 20);
  head.writeUInt32LE(wasRunning ? 1 : 0, 24);
  head.writeUInt32LE(0, 28); // raw, uncompressed
  head.writeUInt32LE(0, 32); // no cookie
  return Buffer.concat([head, data]);
}

/** Replaces the partial magic once the whole stream is on disk (after an fsync). */
export async function markComplete(fh: FileHandle): Promise<void> {
  await fh.write(MAGIC, 0, MAGIC.length, 0);
  await fh.sync();
}

const failed = (path: string, detail: string): VirtmonError =>
  new VirtmonError('VIR_ERR_OPERATION_FAILED', `${detail} in '${path}'`, { file: path });

/** Reads and checks an image's header and XML. */
export async function readSaveImageInfo(path: string): Promise<SaveImageInfo> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (cause) {
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `cannot read domain image '${path}': ${(cause as Error).message}`, { cause, file: path });
  }
  try {
    const head = Buffer.alloc(SAVE_HEADER_BYTES);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead < SAVE_HEADER_BYTES) throw failed(path, 'failed to read qemu header');
    const magic = head.subarray(0, 16);
    if (magic.equals(PARTIAL)) throw failed(path, 'save image is incomplete');
    if (!magic.equals(MAGIC)) throw failed(path, 'image magic is incorrect');
    const version = head.readUInt32LE(16);
    if (version > VERSION || version < 1) throw failed(path, `image version is not supported (${version} > ${VERSION})`);
    const len = head.readUInt32LE(20);
    if (len < 2 || len > MAX_DOMAIN_XML_BYTES + 1) throw failed(path, 'invalid XML length');
    if (head.readUInt32LE(28) !== 0) {
      throw new VirtmonError('VIR_ERR_OPERATION_UNSUPPORTED', `compressed save image '${path}' cannot be restored by virtmon`, { file: path });
    }
    const data = Buffer.alloc(len);
    const got = await fh.read(data, 0, len, SAVE_HEADER_BYTES);
    if (got.bytesRead < len) throw failed(path, 'failed to read domain XML');
    const cookieOffset = head.readUInt32LE(32);
    const xmlEnd = cookieOffset > 0 && cookieOffset < len ? cookieOffset : len;
    const nul = data.indexOf(0);
    const xml = data.subarray(0, nul >= 0 && nul < xmlEnd ? nul : xmlEnd).toString('utf8');
    return { xml, wasRunning: head.readUInt32LE(24) !== 0, streamOffset: SAVE_HEADER_BYTES + len };
  } finally {
    await fh.close();
  }
}
