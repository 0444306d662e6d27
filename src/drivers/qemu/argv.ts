/**
 * The QEMU command line for a domain definition, as a pure function (libvirt-semantics.md §6, libvirt 9's
 * qemuBuildCommandLine): an argv array for spawn (never a shell string), plus the device aliases and
 * block node names the driver records and the collectors match against QMP replies. The definition's
 * elements it does not render are listed in `ignored` so the driver can say so, not silently drop them.
 */
import type { DomainDef, XmlElement, XmlNode } from '../../domain/def.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { StatsDisk } from '../../domain/stats-target.ts';
import { renderDisks } from './argv-disks.ts';
import { renderBalloon, renderCharDevices, renderGraphics, renderNics, type LaunchedNic } from './argv-devices.ts';
import { opts, optValue } from './qemu-opts.ts';

/** Host paths the launch uses (made by the driver before spawning). */
export interface QemuLaunchPaths {
  /** QMP socket QEMU listens on (`server=on,wait=off`). */
  readonly monitorSocket: string;
  /** QEMU writes its pid here. */
  readonly pidfile: string;
  /** Serial console log: serial0 as a file when the definition has no serial, else serial0's logfile. */
  readonly serialLog?: string;
  /** Host tap per interface position (ethernet, bridge and network interfaces). */
  readonly taps?: readonly (string | undefined)[];
}

/** Options of {@link buildQemuCommandLine}. */
export interface QemuArgvOptions {
  readonly paths: QemuLaunchPaths;
  /** Overrides the accelerator the domain type implies (kvm → kvm, qemu → tcg). */
  readonly accel?: 'kvm' | 'tcg';
  /** Add `-incoming defer` (restore from a save image). */
  readonly incomingDefer?: boolean;
  /** libvirt's seccomp sandbox (`-sandbox on,…,spawn=deny,…`); default true. */
  readonly sandbox?: boolean;
}

/** The command line and what was named on it. */
export interface QemuCommandLine {
  /** Emulator binary (`<emulator>` or `qemu-system-x86_64`). */
  readonly binary: string;
  readonly argv: readonly string[];
  readonly accel: 'kvm' | 'tcg';
  readonly disks: readonly StatsDisk[];
  readonly nics: readonly LaunchedNic[];
  readonly balloon?: { readonly id: string; readonly qomPath: string };
  /** Elements of the definition not rendered (e.g. `os/loader`, `domain/features`, `devices/rng`). */
  readonly ignored: readonly string[];
}

const BINARIES: Readonly<Record<string, string>> = { x86_64: 'qemu-system-x86_64', i686: 'qemu-system-i386' };
/** `<devices>` children the command line covers implicitly (-nodefaults machine devices) or through `<graphics>`. */
const IMPLICIT_DEVICES = new Set(['controller', 'input', 'video']);
/** Top-level elements rendered here (cpu, clock) or applied by the driver on the host (tuning, cgroups). */
const HANDLED_TOP_LEVEL = new Set(['cpu', 'clock', 'cputune', 'numatune', 'memtune', 'blkiotune', 'resource', 'seclabel']);

const isElement = (n: XmlNode): n is XmlElement => typeof n !== 'string';
const textOf = (e: XmlElement): string => e.children.filter((c): c is string => typeof c === 'string').join('').trim();

/** A device's own `<boot order='N'/>`. */
function deviceBootOrder(extra: readonly XmlElement[]): number | undefined {
  const order = Number(extra.find((e) => e.name === 'boot')?.attrs.order);
  return Number.isInteger(order) && order > 0 ? order : undefined;
}

/** bootindex per disk and per NIC: the devices' `<boot order>` when any has one (libvirt forbids mixing
 * them with `<os><boot>`), else the `<os><boot dev=…>` order (hd, cdrom, network). */
function bootIndexes(def: DomainDef): { disks: Map<number, number>; nics: Map<number, number> } {
  const disks = new Map<number, number>();
  const nics = new Map<number, number>();
  def.devices.disks.forEach((d, i) => {
    const order = deviceBootOrder(d.extra);
    if (order !== undefined) disks.set(i, order);
  });
  def.devices.interfaces.forEach((n, i) => {
    const order = deviceBootOrder(n.extra);
    if (order !== undefined) nics.set(i, order);
  });
  if (disks.size > 0 || nics.size > 0) return { disks, nics };
  let next = 1;
  for (const dev of def.os.boot) {
    if (dev === 'hd' || dev === 'cdrom') {
      const want = dev === 'hd' ? 'disk' : 'cdrom';
      const i = def.devices.disks.findIndex((d, idx) => d.device === want && !disks.has(idx));
      if (i >= 0) disks.set(i, next++);
    } else if (dev === 'network' && def.devices.interfaces.length > 0 && !nics.has(0)) {
      nics.set(0, next++);
    }
  }
  return { disks, nics };
}

/** `-cpu` from `<cpu mode=…>`: host-passthrough/host-model → host (max under TCG), custom → its model. */
function cpuArgs(def: DomainDef, accel: 'kvm' | 'tcg'): string[] {
  const cpu = def.extra.find((e) => e.name === 'cpu');
  if (cpu === undefined) return [];
  const mode = cpu.attrs.mode ?? 'custom';
  if (mode === 'host-passthrough' || mode === 'host-model' || mode === 'maximum') return ['-cpu', accel === 'kvm' && mode !== 'maximum' ? 'host' : 'max'];
  const model = cpu.children.filter(isElement).find((c) => c.name === 'model');
  return model === undefined || textOf(model) === '' ? [] : ['-cpu', optValue(textOf(model))];
}

/** `-rtc base=utc|localtime` from `<clock offset=…>`. */
function rtcBase(def: DomainDef): string {
  const offset = def.extra.find((e) => e.name === 'clock')?.attrs.offset ?? 'utc';
  if (offset === 'utc' || offset === 'localtime') return offset;
  throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', `clock offset '${offset}'`);
}

/** Builds the command line. Throws CONFIG_UNSUPPORTED for what virtmon cannot launch. */
export function buildQemuCommandLine(def: DomainDef, options: QemuArgvOptions): QemuCommandLine {
  if (def.type === 'test') throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', "domain type 'test' cannot run under QEMU");
  const arch = def.os.arch ?? 'x86_64';
  const binary = def.devices.emulator ?? BINARIES[arch];
  if (binary === undefined) throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', `architecture '${arch}'`);
  if (def.os.type !== 'hvm') throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', `OS type '${def.os.type}'`);
  const accel = options.accel ?? (def.type === 'kvm' ? 'kvm' : 'tcg');
  const machine = def.os.machine ?? 'pc';
  const { paths } = options;
  const boot = bootIndexes(def);
  const disks = renderDisks(def, machine, boot.disks);
  const nics = renderNics(def, paths.taps ?? [], boot.nics);
  const balloon = renderBalloon(def);
  const mem = def.maxMemory === undefined
    ? opts('', { size: `${def.memoryKiB}k` })
    : opts('', { size: `${def.memoryKiB}k`, slots: def.maxMemory.slots, maxmem: `${def.maxMemory.kib}k` });
  const { max, current } = def.vcpu;

  const argv: string[] = [
    '-name', `guest=${optValue(def.name)},debug-threads=on`,
    '-S',
    '-machine', opts(optValue(machine), { usb: false, 'dump-guest-core': false }),
    '-accel', accel,
    ...cpuArgs(def, accel),
    '-m', mem,
    '-smp', opts(String(current), { maxcpus: max, sockets: max, cores: 1, threads: 1 }),
    '-uuid', def.uuid,
    ...renderGraphics(def),
    '-no-user-config',
    '-nodefaults',
    '-chardev', opts('socket', { id: 'charmonitor', path: paths.monitorSocket, server: true, wait: false }),
    '-mon', 'chardev=charmonitor,id=monitor,mode=control',
    '-rtc', `base=${rtcBase(def)}`,
    '-no-shutdown',
    ...(def.onReboot === 'destroy' ? ['-no-reboot'] : []),
    '-boot', 'strict=on',
  ];
  if (def.os.kernel !== undefined) argv.push('-kernel', def.os.kernel);
  if (def.os.initrd !== undefined) argv.push('-initrd', def.os.initrd);
  if (def.os.cmdline !== undefined) argv.push('-append', def.os.cmdline);
  argv.push(...disks.argv, ...nics.argv, ...renderCharDevices(def, paths.serialLog), ...balloon.argv);
  if (options.incomingDefer === true) argv.push('-incoming', 'defer');
  if (options.sandbox !== false) argv.push('-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny');
  argv.push('-pidfile', paths.pidfile, '-msg', 'timestamp=on');

  const ignored = [
    ...def.extra.filter((e) => !HANDLED_TOP_LEVEL.has(e.name)).map((e) => `domain/${e.name}`),
    ...def.os.extra.map((e) => `os/${e.name}`),
    ...def.devices.other.filter((e) => !IMPLICIT_DEVICES.has(e.name)).map((e) => `devices/${e.name}`),
  ];
  return {
    binary,
    argv,
    accel,
    disks: disks.disks,
    nics: nics.nics,
    ...(balloon.balloon === undefined ? {} : { balloon: balloon.balloon }),
    ignored,
  };
}
