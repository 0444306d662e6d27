/**
 * `<interface>` (docs/formatdomain.rst "Network interfaces"): typed parts into {@link InterfaceDef}, the
 * rest kept verbatim. A missing MAC is generated as libvirt does (52:54:00 prefix for QEMU).
 */
import { randomBytes } from 'node:crypto';
import type { InterfaceDef, XmlElement } from './def.ts';
import { ElementReader, compact, invalidAttrValue, parseIntStrict, restOrUndefined } from './xml-read.ts';
import { INTERFACE_ORDER } from './xml-order.ts';

/** libvirt's virDomainNetType names. */
export const INTERFACE_TYPES = [
  'user', 'ethernet', 'vhostuser', 'server', 'client', 'mcast', 'network', 'bridge', 'internal', 'direct',
  'hostdev', 'udp', 'vdpa', 'null', 'vds',
] as const;

/** A random locally administered MAC in QEMU's 52:54:00 range, as libvirt generates. */
export function randomMac(): string {
  return ['52', '54', '00', ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** Normalizes a MAC address (lowercase, colon-separated); undefined when malformed. */
export function normalizeMac(mac: string): string | undefined {
  const parts = mac.trim().split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9A-Fa-f]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

/** Parses one `<interface>`; `path` is its XML path. */
export function parseInterface(el: XmlElement, path: string, generateMac: () => string = randomMac): InterfaceDef {
  const r = new ElementReader(el, path);
  const type = r.attr('type');
  if (type === undefined) throw r.fail("missing 'type' attribute in <interface>");
  if (!(INTERFACE_TYPES as readonly string[]).includes(type)) throw r.fail(invalidAttrValue('type', 'interface', type));

  const macEl = r.take('mac', ['address'], 'mac', false);
  const rawMac = macEl?.attrs.address;
  let mac: string;
  if (rawMac === undefined) {
    mac = generateMac();
  } else {
    const normal = normalizeMac(rawMac);
    if (normal === undefined) throw r.fail(`unable to parse mac address '${rawMac}'`, 'mac');
    if ((Number.parseInt(normal.slice(0, 2), 16) & 1) === 1) {
      throw r.fail(`expected unicast mac address, found multicast '${rawMac}'`, 'mac');
    }
    mac = normal;
  }

  const source = r.take('source', ['bridge', 'network', 'dev', 'mode']);
  const src = source === undefined ? {} : compact(source.attrs);
  const model = r.take('model', ['type']);
  const target = r.take('target', ['dev']);
  const mtuEl = r.take('mtu', ['size']);
  const mtu = parseIntStrict(mtuEl?.attrs.size, () => r.fail(`malformed mtu size '${mtuEl?.attrs.size ?? ''}'`, 'mtu'), 1);
  const alias = r.take('alias', ['name']);
  return {
    type,
    mac,
    ...compact({
      source: Object.keys(src).length > 0 ? src : undefined,
      model: model?.attrs.type,
      targetDev: target?.attrs.dev,
      mtu,
      alias: alias?.attrs.name,
    }),
    extraAttrs: r.extraAttrs(),
    extra: r.extraChildren(INTERFACE_ORDER),
    ...compact({ rest: restOrUndefined(r.rest) }),
  };
}
