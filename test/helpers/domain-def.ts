/** DomainDef literals for driver tests that do not go through the XML parser. */
import type { DiskDef, DomainDef, InterfaceDef } from '../../src/domain/def.ts';

/** A disk on `target` backed by `source`. */
export function disk(target: string, source: string | undefined = `/var/lib/vmt/${target}.qcow2`): DiskDef {
  return {
    type: 'file', device: 'disk', target: { dev: target, bus: 'virtio' }, readonly: false,
    extraAttrs: {}, extra: [], ...(source === undefined ? {} : { source }),
  };
}

/** A NIC with host device `targetDev`. */
export function nic(targetDev: string | undefined, mac = '52:54:00:00:00:01'): InterfaceDef {
  return {
    type: 'ethernet', mac, model: 'virtio', extraAttrs: {}, extra: [],
    ...(targetDev === undefined ? {} : { targetDev }),
  };
}

/** A small domain; every field can be overridden. */
export function makeDef(name: string, uuid: string, overrides: Partial<DomainDef> = {}): DomainDef {
  return {
    type: 'test',
    name,
    uuid,
    metadata: [],
    memoryKiB: 1048576,
    currentMemoryKiB: 524288,
    vcpu: { max: 2, current: 2 },
    os: { type: 'hvm', arch: 'i686', boot: [], extra: [] },
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    devices: {
      disks: [disk('vda')],
      interfaces: [nic('vmt-tap0')],
      memballoon: { model: 'virtio', extra: [] },
      serials: [], consoles: [], graphics: [], other: [],
    },
    extra: [],
    extraAttrs: {},
    ...overrides,
  };
}
