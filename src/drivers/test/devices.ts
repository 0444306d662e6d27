/**
 * Disk and interface hot-plug for the test driver (virDomainAttachDeviceFlags / DetachDeviceFlags) with
 * the qemu driver's checks: AFFECT flags as everywhere, a disk target used once per definition, a NIC
 * found by MAC. Both definitions are computed before either is replaced, so a failure changes nothing.
 * A live change emits DEVICE_ADDED / DEVICE_REMOVED with the QEMU-style alias the device got.
 */
import type { DiskDef, DomainDef, InterfaceDef } from '../../domain/def.ts';
import type { DomainRef } from '../../domain/domain-ref.ts';
import { VirtmonError } from '../../domain/errors.ts';
import { parseDeviceXml } from '../../domain/xml-parse.ts';
import type { ParsedDevice } from '../../domain/xml-parse.ts';
import { resolveAffect } from '../common/lifecycle-rules.ts';
import type { AffectFlags } from '../driver.ts';
import { updateConfig, updateLive } from './config-ops.ts';
import { MAX_DOMAIN_XML_BYTES } from './definitions.ts';
import type { TestDomain, TestHost } from './host.ts';

type Where = 'live' | 'config';

/** virDomainAttachDeviceFlags for `<disk>` and `<interface>`. */
export function attachDevice(host: TestHost, dom: DomainRef, xml: string, flags: AffectFlags): void {
  const obj = host.domains.resolve(dom);
  const targets = resolveAffect(obj, flags);
  const device = parseDeviceXml(xml, { maxBytes: MAX_DOMAIN_XML_BYTES });
  const config = targets.config ? withDevice(configDef(obj), device, 'config') : undefined;
  const live = targets.live ? withDevice(obj.def, device, 'live') : undefined;
  if (config !== undefined) updateConfig(obj, () => config.def);
  if (live !== undefined) {
    updateLive(obj, () => live.def);
    host.emit({ kind: 'device-added', domain: obj.ref, time: host.clock(), alias: live.alias });
  }
}

/** virDomainDetachDeviceFlags: a disk by its target, an interface by its MAC. */
export function detachDevice(host: TestHost, dom: DomainRef, xml: string, flags: AffectFlags): void {
  const obj = host.domains.resolve(dom);
  const targets = resolveAffect(obj, flags);
  // No MAC in the XML means "match any": an empty one marks that (the parser would invent a random one).
  const device = parseDeviceXml(xml, { maxBytes: MAX_DOMAIN_XML_BYTES, generateMac: () => '' });
  const config = targets.config ? withoutDevice(configDef(obj), device, 'config') : undefined;
  const live = targets.live ? withoutDevice(obj.def, device, 'live') : undefined;
  if (config !== undefined) updateConfig(obj, () => config.def);
  if (live !== undefined) {
    updateLive(obj, () => live.def);
    host.emit({ kind: 'device-removed', domain: obj.ref, time: host.clock(), alias: live.alias });
  }
}

function configDef(obj: TestDomain): DomainDef {
  return obj.newDef ?? obj.def;
}

function withDevice(def: DomainDef, device: ParsedDevice, where: Where): { def: DomainDef; alias: string } {
  const { devices } = def;
  if (device.kind === 'disk') {
    const dst = device.disk.target.dev;
    if (devices.disks.some((d) => d.target.dev === dst)) {
      throw new VirtmonError(where === 'live' ? 'VIR_ERR_OPERATION_FAILED' : 'VIR_ERR_OPERATION_INVALID', `target ${dst} already exists`);
    }
    const alias = device.disk.alias ?? nextAlias(diskAliasPrefix(device.disk), devices.disks.map(diskAlias));
    const disk: DiskDef = where === 'live' ? { ...device.disk, alias } : device.disk;
    return { def: { ...def, devices: { ...devices, disks: [...devices.disks, disk] } }, alias };
  }
  const alias = device.iface.alias ?? nextAlias('net', devices.interfaces.map(nicAlias));
  let iface: InterfaceDef = where === 'live' ? { ...device.iface, alias } : device.iface;
  if (iface.targetDev === undefined) iface = { ...iface, targetDev: freeIfname([...devices.interfaces, iface]) };
  return { def: { ...def, devices: { ...devices, interfaces: [...devices.interfaces, iface] } }, alias };
}

function withoutDevice(def: DomainDef, device: ParsedDevice, where: Where): { def: DomainDef; alias: string } {
  const { devices } = def;
  if (device.kind === 'disk') {
    const dst = device.disk.target.dev;
    const index = devices.disks.findIndex((d) => d.target.dev === dst);
    if (index < 0) throw new VirtmonError('VIR_ERR_DEVICE_MISSING', where === 'live' ? `disk ${dst} not found` : `no target device ${dst}`);
    const alias = diskAlias(devices.disks[index] as DiskDef, index);
    return { def: { ...def, devices: { ...devices, disks: devices.disks.filter((_, i) => i !== index) } }, alias };
  }
  const index = findNic(devices.interfaces, device.iface.mac ?? '');
  const alias = nicAlias(devices.interfaces[index] as InterfaceDef, index);
  return { def: { ...def, devices: { ...devices, interfaces: devices.interfaces.filter((_, i) => i !== index) } }, alias };
}

/** virDomainNetFindIdx, by MAC only: one match, or DEVICE_MISSING / OPERATION_FAILED. */
function findNic(nics: readonly InterfaceDef[], mac: string): number {
  const matches = nics.flatMap((n, i) => (mac === '' || n.mac?.toLowerCase() === mac.toLowerCase() ? [i] : []));
  if (matches.length === 1) return matches[0] as number;
  if (matches.length === 0) {
    throw new VirtmonError('VIR_ERR_DEVICE_MISSING', mac === '' ? 'no matching device found' : `no device matching MAC address ${mac} found`);
  }
  throw new VirtmonError('VIR_ERR_OPERATION_FAILED',
    mac === '' ? 'multiple matching devices found' : `multiple devices matching MAC address ${mac} found`);
}

/** QEMU's alias scheme: virtio-diskN for virtio disks, BUS0-0-N otherwise, netN for NICs. */
function diskAliasPrefix(disk: DiskDef): string {
  const bus = disk.target.bus ?? 'virtio';
  return bus === 'virtio' ? 'virtio-disk' : `${bus}0-0-`;
}

function diskAlias(disk: DiskDef, index: number): string {
  return disk.alias ?? `${diskAliasPrefix(disk)}${index}`;
}

function nicAlias(nic: InterfaceDef, index: number): string {
  return nic.alias ?? `net${index}`;
}

/** The first `prefixN` not among `used`. */
function nextAlias(prefix: string, used: readonly string[]): string {
  const taken = new Set(used);
  let n = 0;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** The first `testnetN` no interface uses (a hot-plugged NIC gets one like a defined one). */
function freeIfname(nics: readonly InterfaceDef[]): string {
  return nextAlias('testnet', nics.map((n) => n.targetDev).filter((d): d is string => d !== undefined));
}
