/**
 * Domain XML → {@link DomainDef} (docs/formatdomain.rst). Typed what virtmon uses, everything else kept
 * verbatim (extra, extraAttrs, rest), defaults filled in as libvirt's post-parse does (currentMemory =
 * memory, vcpu placement static, lifecycle actions, disk bus from the target name, generated UUID and
 * MACs). Errors are VIR_ERR_XML_ERROR naming the element path in `key`.
 */
import { randomUUID } from 'node:crypto';
import type { DiskDef, DomainDef, DomainType, InterfaceDef, LifecycleAction, OsDef, XmlElement } from './def.ts';
import { VirtmonError } from './errors.ts';
import { memoryToKiB } from './units.ts';
import { DOMAIN_ORDER, OS_ORDER } from './xml-order.ts';
import { parseDisk } from './xml-parse-disk.ts';
import { parseDevices } from './xml-parse-devices.ts';
import { parseInterface } from './xml-parse-net.ts';
import { hoistNamespaces } from './xml-parse-metadata.ts';
import { ElementReader, compact, invalidAttrValue, parseIntStrict, restOrUndefined, xmlPathError } from './xml-read.ts';
import { parseXmlDocument } from './xml-tree.ts';

/** Options of {@link parseDomainXml}. */
export interface DomainParseOptions {
  /** Largest accepted document in bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /** UUID for a definition without one (default crypto.randomUUID). */
  readonly generateUuid?: () => string;
  /** MAC for an interface without one (default random 52:54:00:xx:xx:xx). */
  readonly generateMac?: () => string;
}

const DOMAIN_TYPES: readonly DomainType[] = ['kvm', 'qemu', 'test'];
const ACTIONS: readonly LifecycleAction[] = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart'];
const BOOT_DEVICES = ['hd', 'fd', 'cdrom', 'network'];

/** Canonical lowercase dashed form of a UUID written dashed or as 32 hex digits; undefined when malformed. */
export function normalizeUuid(text: string): string | undefined {
  const hex = text.trim().replace(/[- ]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function parseName(r: ElementReader): string {
  const name = r.takeText('name');
  if (name === undefined || name.text === '') throw r.fail('missing name information', 'name');
  if (name.text.includes('/')) throw r.fail(`name ${name.text} cannot contain '/'`, 'name');
  if (name.text.includes('\n')) throw r.fail('name cannot contain a newline', 'name');
  return name.text;
}

function parseAction(r: ElementReader, element: 'on_poweroff' | 'on_reboot' | 'on_crash', dflt: LifecycleAction): LifecycleAction {
  const taken = r.takeText(element);
  if (taken === undefined || taken.text.trim() === '') return dflt;
  const value = taken.text.trim();
  const allowed = element === 'on_crash' ? ACTIONS : ACTIONS.filter((a) => !a.startsWith('coredump'));
  if (!(allowed as readonly string[]).includes(value)) throw r.fail(`unknown ${element} action: ${value}`, element);
  return value as LifecycleAction;
}

function parseVcpu(r: ElementReader): DomainDef['vcpu'] {
  const vcpu = r.takeText('vcpu', ['placement', 'cpuset', 'current']);
  if (vcpu === undefined) return { max: 1, current: 1, placement: 'static' };
  const max = parseIntStrict(vcpu.text, () => xmlPathError(vcpu.path, 'maximum vcpus count must be an integer'), 1) ?? 1;
  const current = parseIntStrict(vcpu.attrs.current, () => xmlPathError(vcpu.path, 'current vcpus count must be an integer'), 1) ?? max;
  if (current > max) throw xmlPathError(vcpu.path, `vcpu current ${current} exceeds maximum ${max}`);
  const placement = vcpu.attrs.placement ?? 'static';
  if (placement !== 'static' && placement !== 'auto') throw xmlPathError(vcpu.path, invalidAttrValue('placement', 'vcpu', placement));
  return { max, current, placement, ...compact({ cpuset: vcpu.attrs.cpuset }) };
}

function parseMemory(r: ElementReader): Pick<DomainDef, 'memoryKiB' | 'currentMemoryKiB' | 'maxMemory'> {
  const mem = r.takeText('memory', ['unit']);
  if (mem === undefined) {
    throw r.fail('Memory size must be specified via <memory> or in the <numa> configuration', 'memory');
  }
  const memoryKiB = memoryToKiB(mem.text, mem.attrs.unit, '<memory>', mem.path);
  const cur = r.takeText('currentMemory', ['unit']);
  let currentMemoryKiB = cur === undefined ? memoryKiB : memoryToKiB(cur.text, cur.attrs.unit, '<currentMemory>', cur.path);
  // libvirt's post-parse: a balloon target of 0 or above the maximum means "all of it".
  if (currentMemoryKiB === 0 || currentMemoryKiB > memoryKiB) currentMemoryKiB = memoryKiB;
  const max = r.takeText('maxMemory', ['unit', 'slots']);
  if (max === undefined) return { memoryKiB, currentMemoryKiB };
  const slots = parseIntStrict(max.attrs.slots, () => xmlPathError(max.path, `invalid slots '${max.attrs.slots ?? ''}' in <maxMemory>`));
  if (slots === undefined) throw xmlPathError(max.path, 'both maximum memory size and memory slot count must be specified');
  return { memoryKiB, currentMemoryKiB, maxMemory: { kib: memoryToKiB(max.text, max.attrs.unit, '<maxMemory>', max.path), slots } };
}

function parseOs(r: ElementReader): OsDef {
  const os = r.enter('os');
  const type = os?.takeText('type', ['arch', 'machine']);
  if (os === undefined || type === undefined || type.text.trim() === '') throw r.fail('an os <type> must be specified', 'os/type');
  const boot = os.takeAll('boot', ['dev']).map((b) => {
    const dev = b.attrs.dev;
    if (dev === undefined) throw xmlPathError(b.path, 'missing boot device');
    if (!BOOT_DEVICES.includes(dev)) throw xmlPathError(b.path, `unknown boot device '${dev}'`);
    return dev;
  });
  const text = (name: string): string | undefined => {
    const t = os.takeText(name);
    return t === undefined || t.text === '' ? undefined : t.text;
  };
  const def: OsDef = {
    type: type.text.trim(),
    ...compact({ arch: type.attrs.arch, machine: type.attrs.machine, kernel: text('kernel'), initrd: text('initrd'), cmdline: text('cmdline') }),
    boot,
    extra: os.extraChildren(OS_ORDER),
  };
  r.keepAttrs('os', os.extraAttrs());
  return def;
}

/**
 * `<metadata>` children with the namespace declarations they use copied onto them, as libvirt does; the
 * declarations on `<metadata>` itself are then redundant and dropped (libvirt writes a bare `<metadata>`).
 */
function parseMetadata(r: ElementReader, domainAttrs: Readonly<Record<string, string>>): XmlElement[] {
  const md = r.enter('metadata');
  if (md === undefined) return [];
  const own = Object.entries(md.extraAttrs()).filter(([k]) => k !== 'xmlns' && !k.startsWith('xmlns:'));
  r.keepAttrs('metadata', Object.fromEntries(own));
  return hoistNamespaces(md.extraChildren([]), [domainAttrs, md.el.attrs]);
}

/** Parses domain XML into a {@link DomainDef}. Throws VirtmonError (VIR_ERR_XML_ERROR) on bad input. */
export function parseDomainXml(xml: string, options: DomainParseOptions = {}): DomainDef {
  const root = parseXmlDocument(xml, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  if (root.name !== 'domain') throw xmlPathError(root.name, `unexpected root element <${root.name}>, expecting <domain>`);
  const r = new ElementReader(root, 'domain');
  const type = r.attr('type');
  if (type === undefined) throw r.fail('missing domain type attribute');
  if (!(DOMAIN_TYPES as readonly string[]).includes(type)) {
    throw r.fail(`invalid domain type ${type} (virtmon supports ${DOMAIN_TYPES.join(', ')})`);
  }
  r.attr('id'); // live-only: the running id is the driver's, not the definition's
  const name = parseName(r);
  const uuidEl = r.takeText('uuid');
  let uuid: string;
  if (uuidEl === undefined || uuidEl.text.trim() === '') {
    uuid = normalizeUuid((options.generateUuid ?? randomUUID)()) ?? '';
    if (uuid === '') throw new VirtmonError('VIR_ERR_INTERNAL_ERROR', 'generated UUID is malformed');
  } else {
    const normal = normalizeUuid(uuidEl.text);
    if (normal === undefined) throw xmlPathError(uuidEl.path, `malformed uuid element '${uuidEl.text.trim()}'`);
    uuid = normal;
  }
  const title = r.takeText('title');
  if (title !== undefined && title.text.includes('\n')) throw xmlPathError(title.path, "title can't contain newlines");
  const description = r.takeText('description');
  const metadata = parseMetadata(r, root.attrs);
  const memory = parseMemory(r);
  const vcpu = parseVcpu(r);
  const os = parseOs(r);
  const onPoweroff = parseAction(r, 'on_poweroff', 'destroy');
  const onReboot = parseAction(r, 'on_reboot', 'restart');
  const onCrash = parseAction(r, 'on_crash', 'destroy');
  const devicesReader = r.enter('devices') ?? new ElementReader({ name: 'devices', attrs: {}, children: [] }, 'domain/devices');
  const devices = parseDevices(devicesReader, options.generateMac);
  r.keepAttrs('devices', devicesReader.extraAttrs());
  return {
    type: type as DomainType,
    name,
    uuid,
    ...compact({
      title: title === undefined || title.text === '' ? undefined : title.text,
      description: description === undefined || description.text === '' ? undefined : description.text,
    }),
    metadata,
    ...memory,
    vcpu,
    os,
    onPoweroff,
    onReboot,
    onCrash,
    devices,
    extra: r.extraChildren(DOMAIN_ORDER),
    extraAttrs: r.extraAttrs(),
    ...compact({ rest: restOrUndefined(r.rest) }),
  };
}

/** A device for attach/detach. */
export type ParsedDevice = { readonly kind: 'disk'; readonly disk: DiskDef } | { readonly kind: 'interface'; readonly iface: InterfaceDef };

/** Parses a single `<disk>` or `<interface>` (virsh attach-device / detach-device XML). */
export function parseDeviceXml(xml: string, options: Omit<DomainParseOptions, 'generateUuid'> = {}): ParsedDevice {
  const root = parseXmlDocument(xml, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  if (root.name === 'disk') return { kind: 'disk', disk: parseDisk(root, 'disk', 1) };
  if (root.name === 'interface') return { kind: 'interface', iface: parseInterface(root, 'interface', options.generateMac) };
  throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED',
    `device <${root.name}> cannot be attached or detached (virtmon supports <disk> and <interface>)`, { key: root.name });
}
