/**
 * libvirt's element order (virDomainDefFormatInternal and the per-device formatters). The formatter writes
 * typed and kept elements in this order; the parser sorts kept elements the same way (stable: elements of
 * one name keep their document order, unknown names go last in document order), so parse → format →
 * parse gives back the same definition.
 */
import type { XmlElement } from './def.ts';

/** Children of `<domain>`. */
export const DOMAIN_ORDER = [
  'name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory',
  'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'defaultiothread',
  'cputune', 'numatune', 'resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap', 'features',
  'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices',
  'seclabel', 'keywrap', 'launchSecurity',
] as const;

/** Children of `<devices>`. */
export const DEVICES_ORDER = [
  'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel',
  'console', 'channel', 'input', 'tpm', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'redirdev',
  'redirfilter', 'hub', 'watchdog', 'memballoon', 'rng', 'nvram', 'panic', 'shmem', 'memory', 'iommu',
  'vsock', 'crypto',
] as const;

/** Children of `<os>`. */
export const OS_ORDER = [
  'type', 'firmware', 'loader', 'nvram', 'kernel', 'initrd', 'cmdline', 'dtb', 'acpi', 'init', 'initarg',
  'initenv', 'initdir', 'inituser', 'initgroup', 'boot', 'bootmenu', 'smbios', 'bios',
] as const;

/** Children of `<disk>`. */
export const DISK_ORDER = [
  'driver', 'auth', 'source', 'backingStore', 'backenddomain', 'geometry', 'blockio', 'mirror', 'target',
  'iotune', 'readonly', 'shareable', 'transient', 'serial', 'wwn', 'vendor', 'product', 'encryption', 'boot',
  'alias', 'address',
] as const;

/** Children of `<interface>`. */
export const INTERFACE_ORDER = [
  'mac', 'source', 'vlan', 'virtualport', 'ip', 'route', 'script', 'downscript', 'backenddomain', 'target',
  'guest', 'model', 'driver', 'backend', 'filterref', 'tune', 'teaming', 'link', 'mtu', 'bandwidth',
  'coalesce', 'port', 'boot', 'rom', 'alias', 'address', 'acpi',
] as const;

/** Children of `<memballoon>`. */
export const MEMBALLOON_ORDER = ['stats', 'alias', 'address', 'driver'] as const;

/** Children of `<serial>`, `<console>` and the other character devices. */
export const CHARDEV_ORDER = ['source', 'protocol', 'log', 'target', 'alias', 'address'] as const;

/** Children of `<graphics>`. */
export const GRAPHICS_ORDER = [
  'listen', 'channel', 'image', 'jpeg', 'zlib', 'playback', 'streaming', 'clipboard', 'mouse', 'filetransfer',
  'gl', 'audio',
] as const;

/** Stable sort of elements by their name's place in `order`; unknown names last, in document order. */
export function sortByOrder<T extends XmlElement>(elements: readonly T[], order: readonly string[]): T[] {
  const rank = (el: T): number => {
    const i = order.indexOf(el.name);
    return i === -1 ? order.length : i;
  };
  return elements
    .map((el, i) => ({ el, i, r: rank(el) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.el);
}
