/**
 * Disks on the QEMU command line as libvirt 9 writes them: per disk a `-blockdev` storage node
 * (`libvirt-N-storage`, file or host_device) and a format node (`libvirt-N-format`, raw/qcow2…), then a
 * front-end `-device` with libvirt's alias (`virtio-disk0`, `ide0-0-0`, `sata0-0-0`, `scsi0-0-0-0`).
 * Like libvirt, the first disk gets the highest N, so hotplugged disks continue upwards.
 */
import type { DiskDef, DomainDef } from '../../domain/def.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { StatsDisk } from '../../domain/stats-target.ts';
import { diskNameToIndex, opts } from './qemu-opts.ts';

/** Disk arguments plus what the driver and collectors need to find each disk again. */
export interface RenderedDisks {
  readonly argv: readonly string[];
  readonly disks: readonly StatsDisk[];
}

const unsupported = (detail: string): VirtmonError => new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', detail);

/** cache= of `<driver>` → blockdev cache flags and the device's write-cache (qemuBlockStorageSourceGetBlockdevGetCacheProps). */
function cacheProps(mode: string | undefined): { cache?: { direct: boolean; 'no-flush': boolean }; writeCache?: boolean } {
  switch (mode) {
    case undefined:
    case 'default': return {};
    case 'none': return { cache: { direct: true, 'no-flush': false }, writeCache: true };
    case 'writethrough': return { cache: { direct: false, 'no-flush': false }, writeCache: false };
    case 'writeback': return { cache: { direct: false, 'no-flush': false }, writeCache: true };
    case 'directsync': return { cache: { direct: true, 'no-flush': false }, writeCache: false };
    case 'unsafe': return { cache: { direct: false, 'no-flush': true }, writeCache: true };
    default: throw unsupported(`disk cache mode '${mode}'`);
  }
}

/** The bus a disk sits on, defaulting from the target name as libvirt does. */
function busOf(disk: DiskDef): string {
  if (disk.target.bus !== undefined) return disk.target.bus;
  if (disk.target.dev.startsWith('vd')) return 'virtio';
  if (disk.target.dev.startsWith('sd')) return 'scsi';
  if (disk.target.dev.startsWith('hd')) return 'ide';
  throw unsupported(`cannot infer the bus of disk '${disk.target.dev}'`);
}

/** Renders every disk. `bootIndex` maps a disk's position to its bootindex. */
export function renderDisks(def: DomainDef, machine: string, bootIndex: ReadonlyMap<number, number>): RenderedDisks {
  const argv: string[] = [];
  const controllers: string[] = [];
  const disks: StatsDisk[] = [];
  const q35 = machine.includes('q35');
  const count = def.devices.disks.length;
  def.devices.disks.forEach((disk, i) => {
    const bus = busOf(disk);
    const unit = diskNameToIndex(disk.target.dev);
    if (unit === undefined) throw unsupported(`disk target '${disk.target.dev}' is not a disk name`);
    const n = count - i;
    const storageNode = `libvirt-${n}-storage`;
    const formatNode = `libvirt-${n}-format`;
    const { cache, writeCache } = cacheProps(disk.driver?.cache);
    const cd = disk.device === 'cdrom';
    if (disk.device !== 'disk' && !cd) throw unsupported(`disk device '${disk.device}' (disk '${disk.target.dev}')`);
    // ide-hd cannot be read-only (QEMU: "Block node is read-only"); libvirt refuses it the same way.
    if (!cd && disk.readonly && (bus === 'ide' || bus === 'sata')) throw unsupported(`readonly ${bus} disks are not supported`);
    const hasMedia = disk.source !== undefined && disk.source !== '';
    if (disk.type !== 'file' && disk.type !== 'block') throw unsupported(`disk source type '${disk.type}' (disk '${disk.target.dev}')`);
    if (hasMedia) {
      argv.push('-blockdev', JSON.stringify({
        driver: disk.type === 'block' ? 'host_device' : 'file',
        filename: disk.source,
        'node-name': storageNode,
        'auto-read-only': true,
        discard: 'unmap',
        ...(cache === undefined ? {} : { cache }),
      }));
      argv.push('-blockdev', JSON.stringify({
        'node-name': formatNode,
        'read-only': disk.readonly || cd,
        ...(disk.driver?.discard === 'unmap' ? { discard: 'unmap' } : {}),
        ...(cache === undefined ? {} : { cache }),
        driver: disk.driver?.type ?? 'raw',
        file: storageNode,
      }));
    } else if (disk.device !== 'cdrom') {
      throw unsupported(`disk '${disk.target.dev}' has no source`);
    }
    let head: string;
    let id: string;
    let placement: Record<string, string | number>;
    switch (bus) {
      case 'virtio':
        if (cd) throw unsupported(`a cdrom cannot sit on the virtio bus (disk '${disk.target.dev}')`);
        head = 'virtio-blk-pci';
        id = `virtio-disk${unit}`;
        placement = {};
        break;
      case 'ide':
        if (q35) throw unsupported(`IDE disks are not supported on machine '${machine}'`);
        head = cd ? 'ide-cd' : 'ide-hd';
        id = `ide0-${Math.floor(unit / 2)}-${unit % 2}`;
        placement = { bus: `ide.${Math.floor(unit / 2)}`, unit: unit % 2 };
        break;
      case 'sata':
        if (!q35 && !controllers.includes('sata')) {
          controllers.push('sata');
          argv.unshift('-device', 'ich9-ahci,id=sata0');
        }
        head = cd ? 'ide-cd' : 'ide-hd';
        id = `sata0-0-${unit}`;
        placement = { bus: q35 ? `ide.${unit}` : `sata0.${unit}` };
        break;
      case 'scsi':
        if (!controllers.includes('scsi')) {
          controllers.push('scsi');
          argv.unshift('-device', 'virtio-scsi-pci,id=scsi0');
        }
        head = cd ? 'scsi-cd' : 'scsi-hd';
        id = `scsi0-0-0-${unit}`;
        placement = { bus: 'scsi0.0', channel: 0, 'scsi-id': 0, lun: unit };
        break;
      default:
        throw unsupported(`disk bus '${bus}' (disk '${disk.target.dev}')`);
    }
    argv.push('-device', opts(head, {
      ...placement,
      drive: hasMedia ? formatNode : undefined,
      id,
      bootindex: bootIndex.get(i),
      'write-cache': writeCache,
      serial: disk.serial,
    }));
    disks.push({
      index: i,
      target: disk.target.dev,
      ...(disk.source === undefined ? {} : { path: disk.source }),
      qdevId: id,
      ...(hasMedia ? { formatNode, storageNode } : {}),
    });
  });
  return { argv, disks };
}
