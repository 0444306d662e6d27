/**
 * Host tap devices for `<interface type='ethernet'|'bridge'>`: created with `ip tuntap add … mode tap`
 * (argv through execFile, never a shell), brought up, given the host-side `<ip>` addresses of an
 * ethernet interface or enslaved to the `<source bridge>`, and removed when the domain stops. The
 * driver owns every tap it created; a `<target dev='X' managed='no'/>` names a tap someone else made.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { InterfaceDef } from '../../domain/def.ts';
import { VirtmonError } from '../../domain/errors.ts';

const exec = promisify(execFile);

/** A tap a running domain uses. */
export interface TapRecord {
  readonly name: string;
  /** Created by the driver (and so removed by it). */
  readonly owned: boolean;
}

/** What to set up on the host side of a tap. */
export interface TapSetup {
  readonly bridge?: string;
  /** `ADDRESS/PREFIX` strings (`<ip address prefix>` of an ethernet interface). */
  readonly addresses: readonly string[];
  readonly mtu?: number;
}

const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** Runs `ip ARGS`; failures become SYSTEM_ERROR with ip's message. */
async function ip(args: readonly string[], what: string): Promise<void> {
  try {
    await exec('ip', args, { timeout: 10_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = (e.stderr ?? '').trim() || e.message;
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `${what}: ${detail}`, { cause: err });
  }
}

/** True when a network interface of that name exists. */
export async function netdevExists(name: string, sysRoot = '/sys'): Promise<boolean> {
  try {
    await access(`${sysRoot}/class/net/${name}`);
    return true;
  } catch {
    return false;
  }
}

/** Host-side settings of an interface: `<source bridge>`, `<ip>` children, `<mtu>`. */
export function tapSetupOf(iface: InterfaceDef): TapSetup {
  const addresses = iface.type === 'ethernet'
    ? iface.extra.filter((e) => e.name === 'ip' && e.attrs.address !== undefined)
      .map((e) => `${e.attrs.address ?? ''}/${e.attrs.prefix ?? (e.attrs.address?.includes(':') === true ? '64' : '24')}`)
    : [];
  return {
    addresses,
    ...(iface.type === 'bridge' && iface.source?.bridge !== undefined ? { bridge: iface.source.bridge } : {}),
    ...(iface.mtu === undefined ? {} : { mtu: iface.mtu }),
  };
}

/** True when the interface names a tap the driver must not create or remove (`managed='no'`). */
export function isUnmanagedTap(iface: InterfaceDef): boolean {
  return iface.rest?.target?.attrs.managed === 'no';
}

/** Checks a tap name the definition gives. */
export function checkTapName(name: string): void {
  if (!IFNAME.test(name)) {
    throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', `interface target dev '${name}' is not a valid network device name`);
  }
}

/** Creates a tap and sets up its host side; on failure the tap is gone again. */
export async function createTap(name: string, setup: TapSetup): Promise<void> {
  checkTapName(name);
  if (await netdevExists(name)) {
    throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `Unable to create tap device ${name}: the device already exists`);
  }
  await ip(['tuntap', 'add', 'dev', name, 'mode', 'tap'], `Unable to create tap device ${name}`);
  try {
    if (setup.mtu !== undefined) await ip(['link', 'set', 'dev', name, 'mtu', String(setup.mtu)], `cannot set MTU of ${name}`);
    if (setup.bridge !== undefined) await ip(['link', 'set', 'dev', name, 'master', setup.bridge], `cannot add ${name} to bridge ${setup.bridge}`);
    for (const addr of setup.addresses) await ip(['addr', 'add', addr, 'dev', name], `cannot add address ${addr} to ${name}`);
    await ip(['link', 'set', 'dev', name, 'up'], `cannot bring up ${name}`);
  } catch (err) {
    await removeTap(name).catch(() => undefined);
    throw err;
  }
}

/** Checks that an unmanaged tap exists. */
export async function requireExistingTap(name: string): Promise<void> {
  checkTapName(name);
  if (!(await netdevExists(name))) {
    throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `tap device ${name} (managed='no') does not exist`);
  }
}

/** Removes a tap; one that is already gone is fine. */
export async function removeTap(name: string): Promise<void> {
  if (!(await netdevExists(name))) return;
  await ip(['link', 'del', 'dev', name], `Unable to delete tap device ${name}`);
}

/**
 * Names for the interfaces without a `<target dev>`: the first free `PREFIXn` (libvirt's vnetN
 * scheme), skipping names in use on the host and those in `reserved` (taps being created right now).
 */
export async function generateTapNames(count: number, prefix: string, reserved: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  for (let n = 0; out.length < count; n++) {
    const name = `${prefix}${n}`;
    if (reserved.has(name) || out.includes(name) || (await netdevExists(name))) continue;
    out.push(name);
  }
  return out;
}
