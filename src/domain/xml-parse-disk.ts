/**
 * `<disk>` (docs/formatdomain.rst "Hard drives, floppy disks, CDROMs"): typed parts into {@link DiskDef},
 * the rest kept verbatim.
 */
import type { DiskDef, XmlElement } from './def.ts';
import { ElementReader, compact, invalidAttrValue, restOrUndefined } from './xml-read.ts';
import { DISK_ORDER } from './xml-order.ts';

/** libvirt's virStorageType names. */
export const DISK_TYPES = ['file', 'block', 'dir', 'network', 'volume', 'nvme', 'vhostuser', 'vhostvdpa'] as const;
/** libvirt's virDomainDiskDevice names. */
export const DISK_DEVICES = ['disk', 'cdrom', 'floppy', 'lun'] as const;

/** The `<source>` attribute that names the disk's path, by disk type. */
export function sourceAttrOf(type: string): 'file' | 'dev' | 'dir' | undefined {
  if (type === 'file') return 'file';
  if (type === 'block') return 'dev';
  if (type === 'dir') return 'dir';
  return undefined;
}

/** The bus libvirt assumes from a target name when `<target bus>` is absent (virDomainDiskDefAssignAddress). */
export function busFromTarget(dev: string): string | undefined {
  if (dev.startsWith('vd')) return 'virtio';
  if (dev.startsWith('sd')) return 'scsi';
  if (dev.startsWith('hd')) return 'ide';
  if (dev.startsWith('fd')) return 'fdc';
  if (dev.startsWith('xvd')) return 'xen';
  if (dev.startsWith('ubd')) return 'uml';
  return undefined;
}

/** Parses one `<disk>`; `path` is its XML path and `index` its 1-based position among the disks. */
export function parseDisk(el: XmlElement, path: string, index: number): DiskDef {
  const r = new ElementReader(el, path);
  const type = r.attr('type') ?? 'file';
  if (!(DISK_TYPES as readonly string[]).includes(type)) throw r.fail(invalidAttrValue('type', 'disk', type));
  const device = r.attr('device') ?? 'disk';
  if (!(DISK_DEVICES as readonly string[]).includes(device)) throw r.fail(invalidAttrValue('device', 'disk', device));

  const driver = r.take('driver', ['name', 'type', 'cache', 'discard', 'io']);
  const driverDef = driver === undefined ? {} : compact(driver.attrs);

  const srcAttr = sourceAttrOf(type);
  const sourceTyped = type === 'network' ? ['protocol', 'name'] : srcAttr === undefined ? [] : [srcAttr];
  const source = r.take('source', sourceTyped);
  const src = source?.attrs ?? {};

  const target = r.take('target', ['dev', 'bus']);
  const dev = target?.attrs.dev;
  if (dev === undefined || dev === '') throw r.fail(`missing <target dev> in disk ${index}`, 'target');
  const bus = target?.attrs.bus ?? busFromTarget(dev);

  const readonly = r.takeFlag('readonly');
  const shareable = r.takeFlag('shareable');
  const serial = r.takeText('serial');
  const alias = r.take('alias', ['name']);
  return {
    type,
    device,
    ...compact({
      driver: Object.keys(driverDef).length > 0 ? driverDef : undefined,
      source: srcAttr === undefined ? undefined : src[srcAttr],
      sourceProtocol: type === 'network' ? src.protocol : undefined,
      sourceName: type === 'network' ? src.name : undefined,
    }),
    target: compact({ dev, bus }) as DiskDef['target'],
    readonly,
    ...compact({
      shareable: shareable ? true : undefined,
      serial: serial === undefined || serial.text === '' ? undefined : serial.text,
      alias: alias?.attrs.name,
    }),
    extraAttrs: r.extraAttrs(),
    extra: r.extraChildren(DISK_ORDER),
    ...compact({ rest: restOrUndefined(r.rest) }),
  };
}
