/**
 * {@link DomainDef} → domain XML in libvirt's element order and layout (virDomainDefFormatInternal; what
 * `virsh dumpxml` prints): memory in KiB, `vcpu placement='static'`, lifecycle actions always written,
 * kept elements in their libvirt place, unknown ones last. format(parse(format(parse(x)))) equals
 * format(parse(x)).
 */
import type { DomainDef, XmlElement } from './def.ts';
import { element, present, restOf, textElement } from './xml-build.ts';
import type { LiveAliases } from './xml-format-devices.ts';
import { devicesElement, diskElement, interfaceElement } from './xml-format-devices.ts';
import { DOMAIN_ORDER, OS_ORDER, sortByOrder } from './xml-order.ts';
import type { ParsedDevice } from './xml-parse.ts';
import { formatXmlElement } from './xml-tree.ts';

export type { LiveAliases } from './xml-format-devices.ts';

/** What the live XML of a running domain adds: `<domain id='N'>` and the device aliases. */
export interface LiveXmlInfo {
  readonly id: number;
  readonly aliases?: LiveAliases;
}

function osElement(def: DomainDef): XmlElement {
  const { os, rest } = def;
  const children = present(
    textElement('type', os.type, restOf(rest, 'os/type'), { arch: os.arch, machine: os.machine }),
    textElement('kernel', os.kernel, restOf(rest, 'os/kernel')),
    textElement('initrd', os.initrd, restOf(rest, 'os/initrd')),
    textElement('cmdline', os.cmdline, restOf(rest, 'os/cmdline')),
    ...os.boot.map((dev, i) => element('boot', { dev }, [], restOf(rest, `os/boot[${i + 1}]`))),
  );
  return element('os', {}, sortByOrder([...children, ...os.extra], OS_ORDER), restOf(rest, 'os'));
}

/** The `<domain>` element tree of a definition (live adds the id and aliases). */
export function domainElement(def: DomainDef, live?: LiveXmlInfo): XmlElement {
  const rest = def.rest;
  const { vcpu } = def;
  const metadataRest = restOf(rest, 'metadata');
  const children = present(
    textElement('name', def.name, restOf(rest, 'name')),
    textElement('uuid', def.uuid, restOf(rest, 'uuid')),
    textElement('title', def.title, restOf(rest, 'title')),
    textElement('description', def.description, restOf(rest, 'description')),
    def.metadata.length > 0 || metadataRest !== undefined ? element('metadata', {}, def.metadata, metadataRest) : undefined,
    def.maxMemory === undefined ? undefined
      : element('maxMemory', { slots: def.maxMemory.slots, unit: 'KiB' }, [String(def.maxMemory.kib)], restOf(rest, 'maxMemory')),
    element('memory', { unit: 'KiB' }, [String(def.memoryKiB)], restOf(rest, 'memory')),
    element('currentMemory', { unit: 'KiB' }, [String(def.currentMemoryKiB)], restOf(rest, 'currentMemory')),
    element('vcpu', {
      placement: vcpu.placement ?? 'static', cpuset: vcpu.cpuset, current: vcpu.current === vcpu.max ? undefined : vcpu.current,
    }, [String(vcpu.max)], restOf(rest, 'vcpu')),
    osElement(def),
    element('on_poweroff', {}, [def.onPoweroff], restOf(rest, 'on_poweroff')),
    element('on_reboot', {}, [def.onReboot], restOf(rest, 'on_reboot')),
    element('on_crash', {}, [def.onCrash], restOf(rest, 'on_crash')),
    devicesElement(def.devices, rest, live?.aliases),
  );
  const attrs = { type: def.type, id: live?.id, ...def.extraAttrs };
  return element('domain', attrs, sortByOrder([...children, ...def.extra], DOMAIN_ORDER));
}

/**
 * Writes a definition as libvirt's domain XML (ending with a newline). With `live`, the running form:
 * `<domain type=… id='N'>` and the aliases the driver assigned.
 */
export function formatDomainXml(def: DomainDef, live?: LiveXmlInfo): string {
  return formatXmlElement(domainElement(def, live), 0);
}

/** Writes one device as `virsh dumpxml` shows it inside `<devices>`, without indentation. */
export function formatDeviceXml(device: ParsedDevice): string {
  return formatXmlElement(device.kind === 'disk' ? diskElement(device.disk) : interfaceElement(device.iface), 0);
}
