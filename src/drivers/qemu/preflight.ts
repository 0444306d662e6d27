/**
 * Checks made before anything of a start touches the host, so a start that cannot work fails with a
 * clear error and leaves nothing behind: KVM usable for `type='kvm'`, disk images reachable.
 */
import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import type { DomainDef } from '../../domain/def.ts';
import { VirtmonError } from '../../domain/errors.ts';

/** Why the KVM device is unusable, or undefined when it is usable. */
export async function kvmProblem(device: string): Promise<string | undefined> {
  try {
    const st = await stat(device);
    if (!st.isCharacterDevice()) return `${device} is not a character device`;
    const fh = await open(device, constants.O_RDWR);
    await fh.close();
    return undefined;
  } catch (err) {
    return `${device}: ${(err as Error).message}`;
  }
}

/** The accelerator for a definition: kvm for type='kvm' (refused when KVM is unusable), tcg for type='qemu'. */
export async function chooseAccel(def: DomainDef, kvmDevice: string): Promise<'kvm' | 'tcg'> {
  if (def.type !== 'kvm') return 'tcg';
  const problem = await kvmProblem(kvmDevice);
  if (problem !== undefined) {
    throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED',
      'Domain requires KVM, but it is not available. Check that virtualization is enabled in the host BIOS, '
      + `and host configuration is setup to load the kvm modules (${problem})`);
  }
  return 'kvm';
}

/** libvirt's storage check: every file or block disk with a source must be accessible. */
export async function checkDiskSources(def: DomainDef): Promise<void> {
  for (const disk of def.devices.disks) {
    if (disk.source === undefined || disk.source === '' || (disk.type !== 'file' && disk.type !== 'block')) continue;
    const mode = disk.readonly || disk.device === 'cdrom' ? constants.R_OK : constants.R_OK | constants.W_OK;
    try {
      await access(disk.source, mode);
    } catch (err) {
      const uid = process.getuid?.() ?? 0;
      const gid = process.getgid?.() ?? 0;
      const why = (err as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
      throw new VirtmonError('VIR_ERR_SYSTEM_ERROR',
        `Cannot access storage file '${disk.source}' (as uid:${uid}, gid:${gid}): ${why.charAt(0).toUpperCase()}${why.slice(1)}`,
        { cause: err, key: `devices/disk[target=${disk.target.dev}]` });
    }
  }
}
