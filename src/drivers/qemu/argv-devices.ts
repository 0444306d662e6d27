/**
 * NICs, serial ports, consoles, the balloon and graphics on the QEMU command line, with libvirt's
 * aliases (`hostnetN`/`netN`, `charserialN`/`serialN`, `balloon0`). Taps are created by the driver
 * before launch and passed by name (`ifname=…,script=no,downscript=no`): Node cannot hand QEMU an fd.
 */
import { createHash } from 'node:crypto';
import type { DomainDef, InterfaceDef } from '../../domain/def.ts';
import { VirtmonError } from '../../domain/errors.ts';
import { opts, optValue } from './qemu-opts.ts';

const unsupported = (detail: string): VirtmonError => new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', detail);

/** A NIC as launched. */
export interface LaunchedNic {
  readonly index: number;
  readonly netdevId: string;
  readonly deviceId: string;
  readonly mac: string;
  /** Host tap, absent for `-netdev user`. */
  readonly hostDev?: string;
}

const NIC_MODELS: Readonly<Record<string, string>> = {
  virtio: 'virtio-net-pci', e1000: 'e1000', e1000e: 'e1000e', rtl8139: 'rtl8139',
};

/** A stable MAC in QEMU's 52:54:00 range for an interface the definition left without one. */
export function defaultMac(uuid: string, index: number): string {
  const h = createHash('sha256').update(`${uuid}/${index}`).digest();
  return `52:54:00:${[h[0], h[1], h[2]].map((b) => (b ?? 0).toString(16).padStart(2, '0')).join(':')}`;
}

/** Renders the NICs. `taps[i]` names the host tap of interface i (else its `<target dev>`). */
export function renderNics(
  def: DomainDef, taps: readonly (string | undefined)[], bootIndex: ReadonlyMap<number, number>,
): { argv: string[]; nics: LaunchedNic[] } {
  const argv: string[] = [];
  const nics: LaunchedNic[] = [];
  def.devices.interfaces.forEach((iface: InterfaceDef, i) => {
    const netdevId = `hostnet${i}`;
    const deviceId = `net${i}`;
    let hostDev: string | undefined;
    switch (iface.type) {
      case 'user':
        argv.push('-netdev', opts('user', { id: netdevId }));
        break;
      case 'ethernet':
      case 'bridge':
      case 'network':
        hostDev = taps[i] ?? iface.targetDev;
        if (hostDev === undefined) throw new VirtmonError('VIR_ERR_INTERNAL_ERROR', `no tap device for interface ${i}`);
        argv.push('-netdev', opts('tap', { id: netdevId, ifname: hostDev, script: 'no', downscript: 'no' }));
        break;
      default:
        throw unsupported(`interface type '${iface.type}'`);
    }
    const model = NIC_MODELS[iface.model ?? 'virtio'];
    if (model === undefined) throw unsupported(`interface model '${iface.model ?? ''}'`);
    const mac = (iface.mac ?? defaultMac(def.uuid, i)).toLowerCase();
    argv.push('-device', opts(model, {
      netdev: netdevId,
      id: deviceId,
      mac,
      host_mtu: model === 'virtio-net-pci' ? iface.mtu : undefined,
      bootindex: bootIndex.get(i),
    }));
    nics.push({ index: i, netdevId, deviceId, mac, ...(hostDev === undefined ? {} : { hostDev }) });
  });
  return { argv, nics };
}

/** Chardev backend options for a `<serial>`/`<console>` type. */
function chardev(type: string, id: string, path: string | undefined, what: string): string {
  switch (type) {
    case 'pty': return opts('pty', { id });
    case 'null': return opts('null', { id });
    case 'file':
      if (path === undefined) throw unsupported(`${what} of type file without a source path`);
      return opts('file', { id, path });
    case 'unix':
      if (path === undefined) throw unsupported(`${what} of type unix without a source path`);
      return opts('socket', { id, path, server: true, wait: false });
    default:
      throw unsupported(`${what} type '${type}'`);
  }
}

/** Renders serial ports and virtio consoles; `serialLog` becomes serial0 (file) or its chardev's logfile. */
export function renderCharDevices(def: DomainDef, serialLog: string | undefined): string[] {
  const argv: string[] = [];
  const serials = def.devices.serials;
  if (serials.length === 0 && serialLog !== undefined) {
    argv.push('-chardev', opts('file', { id: 'charserial0', path: serialLog }));
    argv.push('-device', 'isa-serial,chardev=charserial0,id=serial0,index=0');
  }
  serials.forEach((serial, i) => {
    const id = `charserial${i}`;
    let backend = chardev(serial.type, id, serial.sourcePath, 'serial');
    if (i === 0 && serialLog !== undefined && serial.type !== 'file') backend += `,logfile=${optValue(serialLog)},logappend=off`;
    const port = serial.targetPort ?? i;
    argv.push('-chardev', backend, '-device', opts('isa-serial', { chardev: id, id: `serial${i}`, index: port }));
  });
  // A <console> with a serial target is libvirt's alias of serial0; only virtio consoles add devices.
  const virtioConsoles = def.devices.consoles.filter((c) => c.targetType === 'virtio');
  if (virtioConsoles.length > 0) argv.push('-device', 'virtio-serial-pci,id=virtio-serial0');
  virtioConsoles.forEach((console, i) => {
    const id = `charconsole${i}`;
    argv.push('-chardev', chardev(console.type, id, console.sourcePath, 'console'));
    argv.push('-device', opts('virtconsole', { bus: 'virtio-serial0.0', chardev: id, id: `console${i}` }));
  });
  return argv;
}

/** The balloon: libvirt adds a virtio one unless `<memballoon model='none'/>`. */
export function renderBalloon(def: DomainDef): { argv: string[]; balloon?: { id: string; qomPath: string } } {
  const model = def.devices.memballoon?.model ?? 'virtio';
  if (model === 'none') return { argv: [] };
  if (model !== 'virtio') throw unsupported(`memballoon model '${model}'`);
  const deflate = def.devices.memballoon?.autodeflate;
  return {
    argv: ['-device', opts('virtio-balloon-pci', { id: 'balloon0', 'deflate-on-oom': deflate === undefined ? undefined : deflate === 'on' })],
    balloon: { id: 'balloon0', qomPath: '/machine/peripheral/balloon0' },
  };
}

/** `-display none`, or VNC (with a VGA adapter) for `<graphics type='vnc'>`. */
export function renderGraphics(def: DomainDef): string[] {
  const graphics = def.devices.graphics;
  if (graphics.length === 0) return ['-display', 'none'];
  if (graphics.length > 1) throw unsupported('more than one graphics device');
  const g = graphics[0];
  if (g === undefined || g.type !== 'vnc') throw unsupported(`graphics type '${g?.type ?? ''}'`);
  const listen = g.listen ?? '127.0.0.1';
  const host = listen.includes(':') ? `[${listen}]` : listen;
  // autoport: QEMU searches displays 0…100 itself (port 5900…6000).
  const vnc = g.autoport === true || g.port === undefined || g.port < 5900 ? `${host}:0,to=100` : `${host}:${g.port - 5900}`;
  return ['-display', 'none', '-vnc', vnc, '-device', 'VGA,id=video0'];
}
