/**
 * Disk and NIC hot-plug (virDomainAttachDeviceFlags / DetachDeviceFlags, libvirt-semantics.md §7).
 * Attach: a disk is `blockdev-add` storage then format node and `device_add virtio-blk-pci`; a NIC is
 * a tap, `netdev_add` and `device_add`; each step is rolled back when a later one fails; DEVICE_ADDED.
 * Detach: `device_del`, then on DEVICE_DELETED (≤ the unplug timeout, libvirt's 5 s) `blockdev-del` /
 * `netdev_del` and the tap, DEVICE_REMOVED. When the guest is slower the call still succeeds and the
 * removal finishes when the event comes. The config side (AFFECT_CONFIG) is written after the live one.
 */
import type { DiskDef, DomainDef, InterfaceDef } from '../../../domain/def.ts';
import type { DomainRef } from '../../../domain/domain-ref.ts';
import { VirtmonError } from '../../../domain/errors.ts';
import { parseDeviceXml } from '../../../domain/xml-parse.ts';
import type { ParsedDevice } from '../../../domain/xml-parse.ts';
import { resolveAffect } from '../../common/lifecycle-rules.ts';
import type { AffectFlags } from '../../driver.ts';
import { updateConfig } from '../config-ops.ts';
import { MAX_DOMAIN_XML_BYTES } from '../definitions.ts';
import type { QemuDomain, QemuHost } from '../host.ts';
import { checkDiskSources } from '../preflight.ts';
import type { QmpClient } from '../qmp/client.ts';
import { diskNameToIndex } from '../qemu-opts.ts';
import type { QemuRun } from '../run.ts';
import { createTap, generateTapNames, isUnmanagedTap, removeTap, requireExistingTap, tapSetupOf } from '../tap.ts';
import { requireMonitor } from './common.ts';

const unsupported = (detail: string): VirtmonError => new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', detail);
const NIC_MODELS: Readonly<Record<string, string>> = { virtio: 'virtio-net-pci', e1000: 'e1000', e1000e: 'e1000e', rtl8139: 'rtl8139' };

/** virDomainAttachDeviceFlags for `<disk>` and `<interface>`. */
export async function attachDevice(host: QemuHost, dom: DomainRef, xml: string, flags: AffectFlags): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainAttachDeviceFlags', async () => {
    const targets = resolveAffect(obj, flags);
    const device = parseDeviceXml(xml, { maxBytes: MAX_DOMAIN_XML_BYTES });
    const persistent = obj.persistentDef();
    const config = targets.config && persistent !== undefined ? configWith(persistent, device) : undefined;
    if (targets.live) {
      if (device.kind === 'disk') await attachDisk(host, obj, device.disk);
      else await attachNic(host, obj, device.iface);
    }
    if (config !== undefined) await updateConfig(host, obj, () => config);
  });
}

/** virDomainDetachDeviceFlags: a disk by its target, an interface by its MAC. */
export async function detachDevice(host: QemuHost, dom: DomainRef, xml: string, flags: AffectFlags): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainDetachDeviceFlags', async () => {
    const targets = resolveAffect(obj, flags);
    // No MAC in the XML means "match any": an empty one marks that (the parser would invent one).
    const device = parseDeviceXml(xml, { maxBytes: MAX_DOMAIN_XML_BYTES, generateMac: () => '' });
    const persistent = obj.persistentDef();
    const config = targets.config && persistent !== undefined ? configWithout(persistent, device) : undefined;
    if (targets.live) await detachLive(host, obj, device);
    if (config !== undefined) await updateConfig(host, obj, () => config);
  });
}

function configWith(def: DomainDef, device: ParsedDevice): DomainDef {
  const { devices } = def;
  if (device.kind === 'disk') {
    if (devices.disks.some((d) => d.target.dev === device.disk.target.dev)) {
      throw new VirtmonError('VIR_ERR_OPERATION_INVALID', `target ${device.disk.target.dev} already exists`);
    }
    return { ...def, devices: { ...devices, disks: [...devices.disks, device.disk] } };
  }
  return { ...def, devices: { ...devices, interfaces: [...devices.interfaces, device.iface] } };
}

function configWithout(def: DomainDef, device: ParsedDevice): DomainDef {
  const { devices } = def;
  if (device.kind === 'disk') {
    const i = devices.disks.findIndex((d) => d.target.dev === device.disk.target.dev);
    if (i < 0) throw new VirtmonError('VIR_ERR_DEVICE_MISSING', `no target device ${device.disk.target.dev}`);
    return { ...def, devices: { ...devices, disks: devices.disks.filter((_, k) => k !== i) } };
  }
  const i = findNic(devices.interfaces, device.iface.mac ?? '');
  return { ...def, devices: { ...devices, interfaces: devices.interfaces.filter((_, k) => k !== i) } };
}

/** virDomainNetFindIdx, by MAC only. */
function findNic(nics: readonly InterfaceDef[], mac: string): number {
  const matches = nics.flatMap((n, i) => (mac === '' || n.mac?.toLowerCase() === mac.toLowerCase() ? [i] : []));
  if (matches.length === 1) return matches[0] as number;
  if (matches.length === 0) {
    throw new VirtmonError('VIR_ERR_DEVICE_MISSING', mac === '' ? 'no matching device found' : `no device matching MAC address ${mac} found`);
  }
  throw new VirtmonError('VIR_ERR_OPERATION_FAILED', mac === '' ? 'multiple matching devices found' : `multiple devices matching MAC address ${mac} found`);
}

/** Runs `undo` steps in reverse after a failure, logging their own failures. */
async function rollback(host: QemuHost, obj: QemuDomain, undo: (() => Promise<unknown>)[]): Promise<void> {
  for (const step of undo.reverse()) {
    await step().catch((err: unknown) => { host.log.warn({ err, domain: obj.name }, 'hot-plug rollback step failed'); });
  }
}

async function attachDisk(host: QemuHost, obj: QemuDomain, disk: DiskDef): Promise<void> {
  const { run, qmp } = requireMonitor(obj);
  const dev = disk.target.dev;
  const bus = disk.target.bus ?? (dev.startsWith('vd') ? 'virtio' : 'unknown');
  if (bus !== 'virtio') throw unsupported(`disk bus '${bus}' cannot be hotplugged.`);
  if (disk.device !== 'disk') throw unsupported(`disk device '${disk.device}' cannot be hotplugged`);
  if ((disk.type !== 'file' && disk.type !== 'block') || disk.source === undefined || disk.source === '') {
    throw unsupported(`disk '${dev}' needs a file or block source to be hotplugged`);
  }
  if (obj.def.devices.disks.some((d) => d.target.dev === dev)) throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `target ${dev} already exists`);
  const unit = diskNameToIndex(dev);
  if (unit === undefined) throw unsupported(`disk target '${dev}' is not a disk name`);
  await checkDiskSources({ ...obj.def, devices: { ...obj.def.devices, disks: [disk] } });
  const alias = `virtio-disk${unit}`;
  const n = 1 + Math.max(0, ...run.disks.map((d) => Number(/^libvirt-(\d+)-/.exec(d.formatNode ?? '')?.[1] ?? 0)));
  const storageNode = `libvirt-${n}-storage`;
  const formatNode = `libvirt-${n}-format`;
  const undo: (() => Promise<unknown>)[] = [];
  try {
    await qmp.execute('blockdev-add', {
      driver: disk.type === 'block' ? 'host_device' : 'file', filename: disk.source, 'node-name': storageNode, 'auto-read-only': true, discard: 'unmap',
    });
    undo.push(() => qmp.execute('blockdev-del', { 'node-name': storageNode }));
    await qmp.execute('blockdev-add', { 'node-name': formatNode, 'read-only': disk.readonly, driver: disk.driver?.type ?? 'raw', file: storageNode });
    undo.push(() => qmp.execute('blockdev-del', { 'node-name': formatNode }));
    await qmp.execute('device_add', { driver: 'virtio-blk-pci', drive: formatNode, id: alias, ...(disk.serial === undefined ? {} : { serial: disk.serial }) });
  } catch (err) {
    await rollback(host, obj, undo);
    throw err;
  }
  obj.def = { ...obj.def, devices: { ...obj.def.devices, disks: [...obj.def.devices.disks, { ...disk, alias }] } };
  run.disks.push({ index: run.disks.length, target: dev, path: disk.source, qdevId: alias, formatNode, storageNode });
  host.emit({ kind: 'device-added', domain: obj.ref, time: host.clock(), alias });
  await host.saveStatus(obj);
}

async function attachNic(host: QemuHost, obj: QemuDomain, iface: InterfaceDef): Promise<void> {
  const { run, qmp } = requireMonitor(obj);
  if (iface.type !== 'ethernet' && iface.type !== 'bridge' && iface.type !== 'user') throw unsupported(`interface type '${iface.type}' cannot be hotplugged`);
  const model = NIC_MODELS[iface.model ?? 'virtio'];
  if (model === undefined) throw unsupported(`interface model '${iface.model ?? ''}'`);
  let n = 0;
  while (run.nics.some((x) => x.deviceId === `net${n}` || x.netdevId === `hostnet${n}`)) n++;
  const netdevId = `hostnet${n}`;
  const deviceId = `net${n}`;
  const mac = (iface.mac ?? '').toLowerCase();
  const undo: (() => Promise<unknown>)[] = [];
  let tap: { name: string; owned: boolean } | undefined;
  try {
    if (iface.type !== 'user') {
      const name = iface.targetDev ?? (await generateTapNames(1, host.settings.tapPrefix, host.reservedTaps))[0] ?? '';
      host.reservedTaps.add(name);
      undo.push(() => { host.reservedTaps.delete(name); return Promise.resolve(); });
      if (isUnmanagedTap(iface)) {
        await requireExistingTap(name);
        tap = { name, owned: false };
      } else {
        await createTap(name, tapSetupOf(iface));
        tap = { name, owned: true };
        undo.push(() => removeTap(name));
      }
      await qmp.execute('netdev_add', { type: 'tap', id: netdevId, ifname: name, script: 'no', downscript: 'no' });
    } else {
      await qmp.execute('netdev_add', { type: 'user', id: netdevId });
    }
    undo.push(() => qmp.execute('netdev_del', { id: netdevId }));
    await qmp.execute('device_add', { driver: model, netdev: netdevId, id: deviceId, ...(mac === '' ? {} : { mac }) });
  } catch (err) {
    await rollback(host, obj, undo);
    throw err;
  } finally {
    if (tap !== undefined) host.reservedTaps.delete(tap.name);
  }
  const live: InterfaceDef = { ...iface, alias: deviceId, ...(tap === undefined ? {} : { targetDev: tap.name }) };
  obj.def = { ...obj.def, devices: { ...obj.def.devices, interfaces: [...obj.def.devices.interfaces, live] } };
  run.nics.push({ index: run.nics.length, netdevId, deviceId, mac, ...(tap === undefined ? {} : { hostDev: tap.name }) });
  if (tap !== undefined) run.taps.push(tap);
  host.emit({ kind: 'device-added', domain: obj.ref, time: host.clock(), alias: deviceId });
  await host.saveStatus(obj);
}

async function detachLive(host: QemuHost, obj: QemuDomain, device: ParsedDevice): Promise<void> {
  const { run, qmp } = requireMonitor(obj);
  if (device.kind === 'disk') {
    const dev = device.disk.target.dev;
    const i = obj.def.devices.disks.findIndex((d) => d.target.dev === dev);
    const sd = run.disks[i];
    if (i < 0 || sd?.qdevId === undefined) throw new VirtmonError('VIR_ERR_DEVICE_MISSING', `disk ${dev} not found`);
    const alias = sd.qdevId;
    await unplug(host, obj, run, qmp, alias, async () => {
      const q = run.qmp;
      if (q !== undefined && sd.formatNode !== undefined) {
        await q.execute('blockdev-del', { 'node-name': sd.formatNode });
        if (sd.storageNode !== undefined) await q.execute('blockdev-del', { 'node-name': sd.storageNode });
      }
      const k = run.disks.findIndex((d) => d.qdevId === alias);
      if (k >= 0) {
        run.disks = run.disks.filter((_, j) => j !== k).map((d, j) => ({ ...d, index: j }));
        obj.def = { ...obj.def, devices: { ...obj.def.devices, disks: obj.def.devices.disks.filter((_, j) => j !== k) } };
      }
    });
    return;
  }
  const i = findNic(obj.def.devices.interfaces, device.iface.mac ?? '');
  const nic = run.nics[i];
  if (nic === undefined) throw new VirtmonError('VIR_ERR_DEVICE_MISSING', 'no matching device found');
  await unplug(host, obj, run, qmp, nic.deviceId, async () => {
    await run.qmp?.execute('netdev_del', { id: nic.netdevId });
    const tap = run.taps.find((t) => t.name === nic.hostDev);
    if (tap !== undefined) {
      if (tap.owned) await removeTap(tap.name);
      run.taps = run.taps.filter((t) => t !== tap);
    }
    const k = run.nics.findIndex((x) => x.deviceId === nic.deviceId);
    if (k >= 0) {
      run.nics = run.nics.filter((_, j) => j !== k).map((x, j) => ({ ...x, index: j }));
      obj.def = { ...obj.def, devices: { ...obj.def.devices, interfaces: obj.def.devices.interfaces.filter((_, j) => j !== k) } };
    }
  });
}

/** `device_del`, then the backend removal on DEVICE_DELETED now or, after the timeout, whenever it comes. */
async function unplug(host: QemuHost, obj: QemuDomain, run: QemuRun, qmp: QmpClient, alias: string, removeBackend: () => Promise<void>): Promise<void> {
  const finish = async (): Promise<void> => {
    if (obj.priv.run !== run || run.finished) return;
    await removeBackend();
    host.emit({ kind: 'device-removed', domain: obj.ref, time: host.clock(), alias });
    await host.saveStatus(obj);
  };
  const deleted = qmp.waitForEvent('DEVICE_DELETED', (e) => e.data.device === alias, host.settings.unplugTimeoutMs);
  deleted.catch(() => undefined);
  await qmp.execute('device_del', { id: alias });
  try {
    await deleted;
  } catch (err) {
    if (!(err instanceof VirtmonError) || err.code !== 'VIR_ERR_OPERATION_TIMEOUT') throw err;
    // libvirt returns 0 here and finishes when the guest lets go of the device.
    run.pendingUnplug.set(alias, finish);
    host.log.info({ domain: obj.name, alias }, 'device removal not yet acknowledged by the guest; it finishes when it is');
    return;
  }
  await finish();
}
