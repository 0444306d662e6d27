/**
 * DomainDef literals for tests that need a definition without going through the XML parser.
 */
import type { DiskDef, DomainDef, InterfaceDef } from '../../src/domain/def.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A minimal KVM domain: 128 MiB, 1 vCPU, pc machine, no devices. */
export function minimalDef(overrides: Partial<Mutable<DomainDef>> = {}): DomainDef {
  return {
    type: 'kvm',
    name: 'vm1',
    uuid: 'c7a5fdbd-cdaf-9455-926a-d65c16db1809',
    metadata: [],
    memoryKiB: 131072,
    currentMemoryKiB: 131072,
    vcpu: { max: 1, current: 1 },
    os: { type: 'hvm', arch: 'x86_64', machine: 'pc', boot: ['hd'], extra: [] },
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    devices: { disks: [], interfaces: [], serials: [], consoles: [], graphics: [], other: [] },
    extra: [],
    extraAttrs: {},
    ...overrides,
  };
}

/** A file-backed disk. */
export function fileDisk(dev: string, source: string, extra: Partial<Mutable<DiskDef>> = {}): DiskDef {
  return {
    type: 'file', device: 'disk', driver: { name: 'qemu', type: 'raw' }, source,
    target: { dev }, readonly: false, extraAttrs: {}, extra: [], ...extra,
  };
}

/** An interface. */
export function nic(type: string, extra: Partial<Mutable<InterfaceDef>> = {}): InterfaceDef {
  return { type, model: 'virtio', extraAttrs: {}, extra: [], ...extra };
}
