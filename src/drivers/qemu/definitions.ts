/**
 * Domain XML as the qemu driver takes it: parsed by the domain room's parser, then checked for what
 * only QEMU cares about (a `kvm` or `qemu` domain type), before anything is stored or launched.
 */
import type { DomainDef } from '../../domain/def.ts';
import { VirtmonError } from '../../domain/errors.ts';
import { parseDomainXml } from '../../domain/xml-parse.ts';

/** Largest domain XML the driver accepts. */
export const MAX_DOMAIN_XML_BYTES = 1024 * 1024;

/** Parses domain XML for the qemu driver; throws XML_ERROR or CONFIG_UNSUPPORTED. */
export function parseQemuDomainXml(xml: string): DomainDef {
  return checkQemuDef(parseDomainXml(xml, { maxBytes: MAX_DOMAIN_XML_BYTES }));
}

/** Refuses definitions the QEMU driver cannot run (libvirt: virt type not supported by the emulator). */
export function checkQemuDef(def: DomainDef): DomainDef {
  if (def.type !== 'kvm' && def.type !== 'qemu') {
    throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', `virt type '${def.type}' is not supported by the QEMU driver (use 'kvm' or 'qemu')`);
  }
  return def;
}
