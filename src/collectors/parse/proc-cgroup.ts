/**
 * `/proc/PID/cgroup` (cgroups(7)): `hierarchy-ID:controller-list:path` per v1 hierarchy and one
 * `0::path` line for the unified (v2) hierarchy. libvirt puts QEMU's main thread in the domain group's
 * `emulator` child (for cpu, cpuacct, cpuset and v2) and its vCPU threads in `vcpuN`; memory and blkio
 * stay on the domain group itself (libvirt-semantics.md §10).
 */
import type { CgroupPlacement } from '../../domain/stats-target.ts';

/** The membership lines of one process. */
export interface ProcCgroup {
  /** v1 controller (or `name=…` hierarchy) → path; `cpu,cpuacct` yields both keys. */
  readonly v1: ReadonlyMap<string, string>;
  /** Path on the unified hierarchy (`0::` line), when it is mounted. */
  readonly unified?: string;
}

/** Parses the file; malformed lines are skipped. */
export function parseProcCgroup(text: string): ProcCgroup {
  const v1 = new Map<string, string>();
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (line.slice(0, first) === '0' && controllers === '') unified = path;
    else for (const c of controllers.split(',')) if (c !== '') v1.set(c, path);
  }
  return unified === undefined ? { v1 } : { v1, unified };
}

/** Leaf groups libvirt creates per thread class inside the domain group. */
const THREAD_LEAF = /\/(?:emulator|vcpu\d+|iothread\d+)$/;

/** Where a domain's groups are, given the group of one of its threads. */
export interface DomainGroup {
  /**
   * The group holding `emulator` and `vcpuN` (libvirt ≥ 7.1 under systemd: `…scope/libvirt`), the one
   * libvirt reads statistics from (virCgroupGetNested).
   */
  readonly group: string;
  /** The machine group: `group` without a trailing `/libvirt` (the systemd scope, cadvisor's view). */
  readonly machine: string;
}

/**
 * Strips a thread leaf (`/emulator`, `/vcpuN`, `/iothreadN`) from a cgroup path, so
 * `…scope/libvirt/emulator` gives `…scope/libvirt` (machine `…scope`) and `/machine/qemu-1-vm1.libvirt-qemu`
 * stays as it is. Undefined for the root group (`/`, ``), which is never a domain's own.
 */
export function locateDomainGroup(path: string): DomainGroup | undefined {
  const group = path.replace(THREAD_LEAF, '');
  if (group === '' || group === '/') return undefined;
  const machine = group.endsWith('/libvirt') ? group.slice(0, -'/libvirt'.length) : group;
  return { group, machine: machine === '' ? group : machine };
}

const V1_CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'blkio', 'cpuset'] as const;

/**
 * The {@link CgroupPlacement} of a QEMU process from its `/proc/PID/cgroup`: each hierarchy's domain
 * group, leaving out hierarchies where the process sits in the root group (on hybrid hosts libvirt
 * leaves `cpuacct` at `/`). Only meaningful for a process the driver placed; a session QEMU sits in
 * the user's own slice and must not be read as a domain group.
 */
export function placementFromProcCgroup(text: string): CgroupPlacement {
  const parsed = parseProcCgroup(text);
  const v1: Partial<Record<(typeof V1_CONTROLLERS)[number], string>> = {};
  for (const controller of V1_CONTROLLERS) {
    const path = parsed.v1.get(controller);
    const located = path === undefined ? undefined : locateDomainGroup(path);
    if (located !== undefined) v1[controller] = located.group;
  }
  const unified = parsed.unified === undefined ? undefined : locateDomainGroup(parsed.unified)?.group;
  const hasV1 = Object.keys(v1).length > 0;
  return {
    ...(unified === undefined ? {} : { unified }),
    ...(hasV1 ? { v1 } : {}),
  };
}
