/**
 * Host files a domain defined over the API may name: disk images, kernel/initrd, firmware, char-device
 * files and sockets, shared directories. All must resolve (realpath, so no symlink or `..` escape)
 * under the configured image roots; the emulator must be one of the configured binaries; qcow2 backing
 * files are followed (qcow2-backing.ts). Things that hand the guest the host itself (hostdev
 * passthrough, raw QEMU command lines, volume/nvme/vhost-user disks) are refused outright.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DiskDef, DomainDef, XmlElement, XmlNode } from '../domain/def.ts';
import type { ParsedDevice } from '../domain/xml-parse.ts';
import { VirtmonError } from '../domain/errors.ts';
import { qcow2BackingFile } from './qcow2-backing.ts';

/** Settings of {@link createImageRootsCheck} (config remote.imageRoots and remote.emulators). */
export interface ImageRootsOptions {
  readonly roots: readonly string[];
  readonly emulators: readonly string[];
}

/** Checks a parsed definition before define/create; throws VIR_ERR_ACCESS_DENIED naming the file. */
export interface ImageRootsCheck {
  (def: DomainDef): Promise<void>;
  /** The same rules for a device to attach (`parseDeviceXml`): its disk's files. */
  device(parsed: ParsedDevice): Promise<void>;
  /** One host path a request names (a save image to write or restore from), described as `what`. */
  path(what: string, path: string): Promise<void>;
}

const denied = (detail: string): VirtmonError => new VirtmonError('VIR_ERR_ACCESS_DENIED', detail);
const PATH_ATTRS = ['file', 'dev', 'dir', 'path', 'socket'];
const FILE_DISK_TYPES = new Set(['file', 'block', 'dir']);
const CHAR_PATH_TYPES = new Set(['file', 'unix', 'pipe', 'dev']);
const MAX_BACKING_CHAIN = 16;

/** realpath of the deepest existing ancestor plus the rest: a file yet to be created still cannot escape. */
async function resolveReal(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(abs) === abs) throw err;
    return join(await resolveReal(dirname(abs)), basename(abs));
  }
}

/** Every path-like attribute of `source` elements anywhere under the given elements. */
function sourcePaths(elements: readonly XmlNode[], out: string[] = []): string[] {
  for (const node of elements) {
    if (typeof node === 'string') continue;
    if (node.name === 'source') for (const a of PATH_ATTRS) if (node.attrs[a] !== undefined) out.push(node.attrs[a]);
    sourcePaths(node.children, out);
  }
  return out;
}

const textOf = (e: XmlElement): string => e.children.filter((c): c is string => typeof c === 'string').join('').trim();

/** Builds the check; roots and emulators are resolved once, on first use (they may not exist yet at start). */
export function createImageRootsCheck(options: ImageRootsOptions): ImageRootsCheck {
  const realRoots = async (): Promise<string[]> =>
    (await Promise.all(options.roots.map((r) => resolveReal(r).catch(() => undefined)))).filter((r): r is string => r !== undefined);
  const realEmulators = async (): Promise<string[]> =>
    (await Promise.all(options.emulators.map((r) => resolveReal(r).catch(() => undefined)))).filter((r): r is string => r !== undefined);

  const underRoots = async (roots: readonly string[], what: string, path: string): Promise<string> => {
    if (!isAbsolute(path)) throw denied(`${what} '${path}' is not an absolute path`);
    let real: string;
    try {
      real = await resolveReal(path);
    } catch (err) {
      throw denied(`${what} '${path}' cannot be resolved: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const inside = roots.some((root) => {
      const rel = relative(root, real);
      return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
    });
    if (!inside) {
      const via = real === resolve(path) ? '' : ` (resolves to '${real}')`;
      throw denied(`${what} '${path}'${via} is outside the image roots (${options.roots.join(', ') || 'none configured'})`);
    }
    return real;
  };

  const checkDisk = async (roots: readonly string[], disk: DiskDef, i: number): Promise<void> => {
    const what = `disk ${disk.target.dev || i}`;
    if (disk.type === 'network') return;
    if (!FILE_DISK_TYPES.has(disk.type)) throw denied(`${what}: disk type '${disk.type}' is not allowed for API-defined domains`);
    if (disk.source !== undefined) {
      await underRoots(roots, `${what} source`, disk.source);
      // A qcow2 header can name a backing file; QEMU would open it (relative to the image's name as
      // given), so it must be inside too, and so on down the chain.
      let image = disk.source;
      for (let depth = 0; disk.type === 'file' && disk.driver?.type !== 'raw'; depth++) {
        const backing = await qcow2BackingFile(image);
        if (backing === undefined) break;
        if (depth >= MAX_BACKING_CHAIN) throw denied(`${what}: backing chain longer than ${MAX_BACKING_CHAIN}`);
        image = isAbsolute(backing) ? backing : join(dirname(image), backing);
        await underRoots(roots, `${what} backing file`, image);
      }
    }
    for (const p of sourcePaths(disk.extra)) await underRoots(roots, `${what} backing store`, p);
  };

  const check = async (def: DomainDef): Promise<void> => {
    const roots = await realRoots();
    for (const e of def.extra) {
      if (e.name === 'commandline' || e.name.endsWith(':commandline')) throw denied('QEMU command-line passthrough is not allowed for API-defined domains');
    }
    if (def.devices.emulator !== undefined) {
      const real = await resolveReal(def.devices.emulator).catch(() => undefined);
      if (real === undefined || !(await realEmulators()).includes(real)) {
        throw denied(`emulator '${def.devices.emulator}' is not one of the allowed emulators (${options.emulators.join(', ')})`);
      }
    }
    if (def.os.kernel !== undefined) await underRoots(roots, 'kernel', def.os.kernel);
    if (def.os.initrd !== undefined) await underRoots(roots, 'initrd', def.os.initrd);
    for (const e of def.os.extra) {
      if ((e.name === 'loader' || e.name === 'nvram') && textOf(e) !== '') await underRoots(roots, e.name, textOf(e));
    }
    for (const [i, disk] of def.devices.disks.entries()) await checkDisk(roots, disk, i);
    for (const c of [...def.devices.serials, ...def.devices.consoles]) {
      if (c.sourcePath !== undefined && CHAR_PATH_TYPES.has(c.type)) await underRoots(roots, `${c.type} character device`, c.sourcePath);
    }
    for (const e of def.devices.other) {
      if (e.name === 'hostdev') throw denied('host device passthrough (hostdev) is not allowed for API-defined domains');
      for (const p of sourcePaths([e])) await underRoots(roots, `${e.name} source`, p);
    }
  };
  return Object.assign(check, {
    device: async (parsed: ParsedDevice): Promise<void> => {
      if (parsed.kind === 'disk') await checkDisk(await realRoots(), parsed.disk, 0);
    },
    path: async (what: string, path: string): Promise<void> => {
      await underRoots(await realRoots(), what, path);
    },
  });
}
