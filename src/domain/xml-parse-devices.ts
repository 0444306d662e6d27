/**
 * `<devices>`: disks, interfaces, the balloon, serial/console and graphics typed; every other device kind
 * (controller, input, video, channel, rng, hostdev …) kept verbatim in `other`.
 */
import type { CharDeviceDef, DevicesDef, GraphicsDef, MemballoonDef, XmlElement } from './def.ts';
import { ElementReader, compact, invalidAttrValue, parseIntStrict, parseYesNo, restOrUndefined } from './xml-read.ts';
import { CHARDEV_ORDER, DEVICES_ORDER, GRAPHICS_ORDER, MEMBALLOON_ORDER } from './xml-order.ts';
import { parseDisk } from './xml-parse-disk.ts';
import { parseInterface } from './xml-parse-net.ts';

/** libvirt's virDomainGraphicsType names. */
export const GRAPHICS_TYPES = ['sdl', 'vnc', 'rdp', 'desktop', 'spice', 'egl-headless', 'dbus'] as const;

const indexed = (path: string, name: string, i: number): string => `${path}/${name}[${i + 1}]`;

function parseMemballoon(el: XmlElement, path: string): MemballoonDef {
  const r = new ElementReader(el, path);
  const model = r.attr('model');
  if (model === undefined) throw r.fail('memballoon must contain model name');
  const autodeflate = r.attr('autodeflate');
  const stats = r.take('stats', ['period']);
  const period = stats?.attrs.period;
  const statsPeriod = parseIntStrict(period, () => r.fail(`invalid statistics collection period '${period ?? ''}'`, 'stats'));
  const alias = r.take('alias', ['name']);
  const extraAttrs = r.extraAttrs();
  return {
    model,
    ...compact({ statsPeriod, autodeflate, alias: alias?.attrs.name }),
    extra: r.extraChildren(MEMBALLOON_ORDER),
    ...compact({
      extraAttrs: Object.keys(extraAttrs).length > 0 ? extraAttrs : undefined,
      rest: restOrUndefined(r.rest),
    }),
  };
}

function parseCharDevice(el: XmlElement, path: string): CharDeviceDef {
  const r = new ElementReader(el, path);
  const type = r.attr('type') ?? 'pty';
  const source = r.take('source', ['path']);
  const target = r.take('target', ['type', 'port']);
  const port = target?.attrs.port;
  const targetPort = parseIntStrict(port, () => r.fail(`Invalid target port '${port ?? ''}' in <${el.name}>`, 'target'));
  const alias = r.take('alias', ['name']);
  return {
    type,
    ...compact({ sourcePath: source?.attrs.path, targetType: target?.attrs.type, targetPort, alias: alias?.attrs.name }),
    extraAttrs: r.extraAttrs(),
    extra: r.extraChildren(CHARDEV_ORDER),
    ...compact({ rest: restOrUndefined(r.rest) }),
  };
}

function parseGraphics(el: XmlElement, path: string): GraphicsDef {
  const r = new ElementReader(el, path);
  const type = r.attr('type');
  if (type === undefined) throw r.fail("missing 'type' attribute in <graphics>");
  if (!(GRAPHICS_TYPES as readonly string[]).includes(type)) throw r.fail(invalidAttrValue('type', 'graphics', type));
  const rawPort = r.attr('port');
  const port = parseIntStrict(rawPort, () => r.fail(`cannot parse ${type} port ${rawPort ?? ''}`), -1);
  const rawAutoport = r.attr('autoport');
  const autoport = parseYesNo(rawAutoport, () => r.fail(invalidAttrValue('autoport', 'graphics', rawAutoport ?? '')));
  return {
    type,
    ...compact({ port, autoport, listen: r.attr('listen') }),
    extraAttrs: r.extraAttrs(),
    extra: r.extraChildren(GRAPHICS_ORDER),
  };
}

/** Parses `<devices>` through a reader that shares the domain's rest map (keys `devices/…`). */
export function parseDevices(r: ElementReader, generateMac?: () => string): DevicesDef {
  const emulator = r.takeText('emulator');
  const disks = r.claimAll('disk').map((el, i) => parseDisk(el, indexed(r.path, 'disk', i), i + 1));
  const interfaces = r.claimAll('interface').map((el, i) => parseInterface(el, indexed(r.path, 'interface', i), generateMac));
  const balloon = r.claim('memballoon');
  const serials = r.claimAll('serial').map((el, i) => parseCharDevice(el, indexed(r.path, 'serial', i)));
  const consoles = r.claimAll('console').map((el, i) => parseCharDevice(el, indexed(r.path, 'console', i)));
  const graphics = r.claimAll('graphics').map((el, i) => parseGraphics(el, indexed(r.path, 'graphics', i)));
  return {
    ...compact({
      emulator: emulator === undefined || emulator.text === '' ? undefined : emulator.text,
      memballoon: balloon === undefined ? undefined : parseMemballoon(balloon, `${r.path}/memballoon`),
    }),
    disks,
    interfaces,
    serials,
    consoles,
    graphics,
    other: r.extraChildren(DEVICES_ORDER),
  };
}
