/**
 * Typed devices → {@link XmlElement}s in libvirt's layout (virDomainDiskDefFormat, virDomainNetDefFormat …),
 * with everything kept from the parse written back in place.
 */
import type { CharDeviceDef, DevicesDef, DiskDef, GraphicsDef, InterfaceDef, MemballoonDef, RestMap, XmlElement } from './def.ts';
import { element, optionalElement, present, restOf, textElement } from './xml-build.ts';
import { CHARDEV_ORDER, DEVICES_ORDER, DISK_ORDER, GRAPHICS_ORDER, INTERFACE_ORDER, MEMBALLOON_ORDER, sortByOrder } from './xml-order.ts';
import { sourceAttrOf } from './xml-parse-disk.ts';

/** Aliases a running domain assigned, by device position; they replace the definition's own. */
export interface LiveAliases {
  readonly disks?: readonly (string | undefined)[];
  readonly interfaces?: readonly (string | undefined)[];
  readonly serials?: readonly (string | undefined)[];
  readonly consoles?: readonly (string | undefined)[];
  readonly memballoon?: string;
}

const flag = (name: string, on: boolean | undefined, rest: RestMap | undefined): XmlElement | undefined =>
  on === true ? element(name, {}, [], restOf(rest, name)) : undefined;

/** `<disk>`. */
export function diskElement(d: DiskDef, alias: string | undefined = d.alias): XmlElement {
  const r = d.rest;
  const srcAttr = sourceAttrOf(d.type);
  const sourceAttrs = d.type === 'network'
    ? { protocol: d.sourceProtocol, name: d.sourceName }
    : srcAttr === undefined ? {} : { [srcAttr]: d.source };
  const children = present(
    optionalElement('driver', {
      name: d.driver?.name, type: d.driver?.type, cache: d.driver?.cache, io: d.driver?.io, discard: d.driver?.discard,
    }, restOf(r, 'driver')),
    optionalElement('source', sourceAttrs, restOf(r, 'source')),
    element('target', { dev: d.target.dev, bus: d.target.bus }, [], restOf(r, 'target')),
    flag('readonly', d.readonly, r),
    flag('shareable', d.shareable, r),
    textElement('serial', d.serial, restOf(r, 'serial')),
    optionalElement('alias', { name: alias }, restOf(r, 'alias')),
  );
  return element('disk', { type: d.type, device: d.device, ...d.extraAttrs }, sortByOrder([...children, ...d.extra], DISK_ORDER));
}

/** `<interface>`. */
export function interfaceElement(n: InterfaceDef, alias: string | undefined = n.alias): XmlElement {
  const r = n.rest;
  const children = present(
    optionalElement('mac', { address: n.mac }, restOf(r, 'mac')),
    optionalElement('source', {
      network: n.source?.network, bridge: n.source?.bridge, dev: n.source?.dev, mode: n.source?.mode,
    }, restOf(r, 'source')),
    optionalElement('target', { dev: n.targetDev }, restOf(r, 'target')),
    optionalElement('model', { type: n.model }, restOf(r, 'model')),
    optionalElement('mtu', { size: n.mtu }, restOf(r, 'mtu')),
    optionalElement('alias', { name: alias }, restOf(r, 'alias')),
  );
  return element('interface', { type: n.type, ...n.extraAttrs }, sortByOrder([...children, ...n.extra], INTERFACE_ORDER));
}

/** `<memballoon>`. */
export function memballoonElement(m: MemballoonDef, alias: string | undefined = m.alias): XmlElement {
  const children = present(
    optionalElement('stats', { period: m.statsPeriod }, restOf(m.rest, 'stats')),
    optionalElement('alias', { name: alias }, restOf(m.rest, 'alias')),
  );
  return element('memballoon', { model: m.model, autodeflate: m.autodeflate, ...m.extraAttrs },
    sortByOrder([...children, ...m.extra], MEMBALLOON_ORDER));
}

/** `<serial>` or `<console>`. */
export function charDeviceElement(name: 'serial' | 'console', c: CharDeviceDef, alias: string | undefined = c.alias): XmlElement {
  const children = present(
    optionalElement('source', { path: c.sourcePath }, restOf(c.rest, 'source')),
    optionalElement('target', { type: c.targetType, port: c.targetPort }, restOf(c.rest, 'target')),
    optionalElement('alias', { name: alias }, restOf(c.rest, 'alias')),
  );
  return element(name, { type: c.type, ...c.extraAttrs }, sortByOrder([...children, ...c.extra], CHARDEV_ORDER));
}

/** `<graphics>`. */
export function graphicsElement(g: GraphicsDef): XmlElement {
  const autoport = g.autoport === undefined ? undefined : g.autoport ? 'yes' : 'no';
  return element('graphics', { type: g.type, port: g.port, autoport, listen: g.listen, ...g.extraAttrs },
    sortByOrder(g.extra, GRAPHICS_ORDER));
}

/** `<devices>`; `rest` is the domain's rest map (keys `devices`, `devices/emulator`). */
export function devicesElement(d: DevicesDef, rest: RestMap | undefined, aliases: LiveAliases = {}): XmlElement {
  const pick = (list: readonly (string | undefined)[] | undefined, i: number, own: string | undefined): string | undefined =>
    list?.[i] ?? own;
  const children = present(
    textElement('emulator', d.emulator, restOf(rest, 'devices/emulator')),
    ...d.disks.map((x, i) => diskElement(x, pick(aliases.disks, i, x.alias))),
    ...d.interfaces.map((x, i) => interfaceElement(x, pick(aliases.interfaces, i, x.alias))),
    ...d.serials.map((x, i) => charDeviceElement('serial', x, pick(aliases.serials, i, x.alias))),
    ...d.consoles.map((x, i) => charDeviceElement('console', x, pick(aliases.consoles, i, x.alias))),
    ...d.graphics.map((x) => graphicsElement(x)),
    d.memballoon === undefined ? undefined : memballoonElement(d.memballoon, aliases.memballoon ?? d.memballoon.alias),
  );
  return element('devices', {}, sortByOrder([...children, ...d.other], DEVICES_ORDER), restOf(rest, 'devices'));
}
