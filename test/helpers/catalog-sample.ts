/**
 * Synthetic domain definitions and samples for the catalog tests and bench/catalog: every field of
 * metrics.md §10 present, V vCPUs, D disks (plus a cdrom and a floppy that must be skipped), I NICs
 * (plus a hostdev NIC without target dev that must be skipped).
 */
import type { DiskDef, DomainDef, InterfaceDef, XmlElement } from '../../src/domain/def.ts';
import type { DomainSample, SampleFields } from '../../src/domain/sample.ts';

/** Shape of a synthetic domain. */
export interface SyntheticShape {
  readonly name?: string;
  readonly uuid?: string;
  readonly vcpus: number;
  readonly disks: number;
  readonly nics: number;
  /** Add a cdrom and a floppy disk (skipped by the catalog); default true. */
  readonly removable?: boolean;
  /** Add an interface without a target dev (skipped); default true. */
  readonly hostdevNic?: boolean;
  readonly metadata?: readonly XmlElement[];
}

const el = (name: string, attrs: Record<string, string> = {}, children: XmlElement['children'] = []): XmlElement =>
  ({ name, attrs, children });

/** Nova 1.1 metadata as the XML parser keeps it. */
export function novaElement(): XmlElement {
  return el('nova:instance', { 'xmlns:nova': 'http://openstack.org/xmlns/libvirt/nova/1.1' }, [
    el('nova:package', { version: '27.1.0' }),
    el('nova:name', {}, ['web-1']),
    el('nova:flavor', { name: 'm1.small' }, [el('nova:memory', {}, ['2048'])]),
    el('nova:owner', {}, [
      el('nova:user', { uuid: 'u-123' }, ['alice']),
      el('nova:project', { uuid: 'p-456' }, ['shop']),
    ]),
    el('nova:root', { type: 'image', uuid: 'img-789' }),
  ]);
}

function disk(i: number, device = 'disk'): DiskDef {
  const dev = device === 'cdrom' ? 'sda' : device === 'floppy' ? 'fda' : `vd${String.fromCharCode(97 + i)}`;
  return {
    type: 'file', device, driver: { name: 'qemu', type: 'qcow2', cache: 'none', discard: 'unmap' },
    source: `/var/lib/virtmon/images/d${i}.qcow2`, target: { dev, bus: device === 'disk' ? 'virtio' : 'sata' },
    readonly: device === 'cdrom', serial: `SER${i}`, extraAttrs: {}, extra: [],
  };
}

function nic(i: number, withTarget = true): InterfaceDef {
  return {
    type: 'bridge', mac: `52:54:00:00:00:${i.toString(16).padStart(2, '0')}`, source: { bridge: 'br0' }, model: 'virtio',
    ...(withTarget ? { targetDev: `vnet${i}` } : {}), mtu: 1500, extraAttrs: {},
    extra: [el('virtualport', { type: 'openvswitch' }, [el('parameters', { interfaceid: `iface-${i}` })])],
  };
}

/** A definition with the given shape. */
export function syntheticDef(shape: SyntheticShape): DomainDef {
  const disks: DiskDef[] = [];
  for (let i = 0; i < shape.disks; i++) disks.push(disk(i));
  if (shape.removable ?? true) disks.push(disk(shape.disks, 'cdrom'), disk(shape.disks + 1, 'floppy'));
  const interfaces: InterfaceDef[] = [];
  for (let i = 0; i < shape.nics; i++) interfaces.push(nic(i));
  if (shape.hostdevNic ?? true) interfaces.push(nic(shape.nics, false));
  return {
    type: 'kvm', name: shape.name ?? 'vm1', uuid: shape.uuid ?? '11111111-2222-3333-4444-555555555555',
    metadata: shape.metadata ?? [novaElement()], memoryKiB: 2097152, currentMemoryKiB: 2097152,
    vcpu: { max: shape.vcpus + 2, current: shape.vcpus },
    os: { type: 'hvm', arch: 'x86_64', machine: 'pc-q35-7.2', boot: ['hd'], extra: [] },
    onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy',
    devices: { disks, interfaces, serials: [], consoles: [], graphics: [], other: [] },
    extra: [], extraAttrs: {},
  };
}

/** Every field of metrics.md §10 for an active domain of this shape, values derived from `seed`. */
export function syntheticFields(def: DomainDef, seed = 1n): SampleFields {
  const f: SampleFields = new Map();
  const big = (n: bigint): bigint => n * seed;
  f.set('state.state', 1);
  f.set('state.reason', 1);
  f.set('cpu.time', big(123_456_789_012n));
  f.set('cpu.user', big(100_000_000_000n));
  f.set('cpu.system', big(23_456_789_012n));
  for (const [k, v] of Object.entries({
    current: 2097152n, maximum: 2097152n, swap_in: 1024n, swap_out: 2048n, major_fault: 12n, minor_fault: 3456n,
    unused: 1048576n, available: 2000000n, usable: 1500000n, disk_caches: 300000n, hugetlb_pgalloc: 5n,
    hugetlb_pgfail: 1n, 'last-update': 1_700_000_000n, rss: 1_800_000n,
  })) f.set(`balloon.${k}`, v);
  const vcpus = def.vcpu.current;
  f.set('vcpu.current', vcpus);
  f.set('vcpu.maximum', def.vcpu.max);
  for (let i = 0; i < vcpus; i++) {
    f.set(`vcpu.${i}.state`, 1);
    f.set(`vcpu.${i}.time`, big(BigInt(10_000_000_000 + i)));
    f.set(`vcpu.${i}.wait`, big(BigInt(1_000_000 + i)));
    f.set(`vcpu.${i}.delay`, big(BigInt(2_000_000 + i)));
    f.set(`vcpu.${i}.cpu`, i % 4);
  }
  const nics = def.devices.interfaces;
  f.set('net.count', nics.length);
  nics.forEach((n, i) => {
    if (n.targetDev !== undefined) f.set(`net.${i}.name`, n.targetDev);
    for (const dir of ['rx', 'tx']) {
      for (const [k, v] of [['bytes', 1000n], ['pkts', 10n], ['errs', 1n], ['drop', 2n]] as const) {
        f.set(`net.${i}.${dir}.${k}`, big(v + BigInt(i)));
      }
    }
  });
  const disks = def.devices.disks;
  f.set('block.count', disks.length);
  disks.forEach((d, i) => {
    f.set(`block.${i}.name`, d.target.dev);
    if (d.source !== undefined) f.set(`block.${i}.path`, d.source);
    for (const [k, v] of [
      ['rd.reqs', 100n], ['rd.bytes', 409600n], ['rd.times', 5_000_000n], ['wr.reqs', 50n], ['wr.bytes', 204800n],
      ['wr.times', 7_000_000n], ['fl.reqs', 5n], ['fl.times', 9_000_000n], ['allocation', 1_000_000n],
      ['capacity', 10_737_418_240n], ['physical', 2_000_000n],
    ] as const) f.set(`block.${i}.${k}`, big(v + BigInt(i)));
  });
  f.set('job.type', 0);
  for (const k of ['time_elapsed', 'time_remaining', 'data_total', 'data_processed', 'data_remaining', 'memory_total',
    'memory_processed', 'memory_remaining', 'disk_total', 'disk_processed', 'disk_remaining']) f.set(`job.${k}`, 0n);
  f.set('virtmon.cgroup.memory.current', big(2_200_000_000n));
  f.set('virtmon.cgroup.cpu.throttled', big(3_000_000n));
  return f;
}

/** An active, running domain's sample with every field. */
export function activeSample(def: DomainDef, seed = 1n): DomainSample {
  return {
    name: def.name, uuid: def.uuid, id: 1, active: true, state: 1, time: 1_700_000_000_000,
    fields: syntheticFields(def, seed), flags: { timedOut: false, cached: false, lastSuccess: 1_700_000_000_500 },
  };
}

/** An inactive (shut off) domain's sample: state fields only, as a driver reports it. */
export function inactiveSample(def: DomainDef): DomainSample {
  return {
    name: def.name, uuid: def.uuid, id: -1, active: false, state: 5, time: 1_700_000_000_000,
    fields: new Map<string, bigint | number>([['state.state', 5], ['state.reason', 1]]),
    flags: { timedOut: false, cached: false },
  };
}
