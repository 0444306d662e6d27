/**
 * File-system roots of the sources (config `paths.{proc,sys,cgroup}`, fixture trees in tests) and the
 * cgroup layout under the cgroup root, detected once at startup:
 * - `v2`: `<cgroup>/cgroup.controllers` exists (the root is the unified mount);
 * - `hybrid`: `<cgroup>/unified` exists (v1 controller dirs plus cgroup2 at `<cgroup>/unified`);
 * - `v1`: controller dirs only (`<cgroup>/cpu`, `<cgroup>/cpuacct`, …; `cpu,cpuacct` mounts are usually
 *   reachable through `cpu` and `cpuacct` symlinks).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The injected roots (absolute paths). */
export interface SourcePaths {
  readonly proc: string;
  readonly sys: string;
  readonly cgroup: string;
}

/** How cgroups are mounted under {@link SourcePaths.cgroup}. */
export type CgroupLayout = 'v1' | 'hybrid' | 'v2';

/** Where each hierarchy is, resolved from the layout. */
export interface CgroupRoots {
  readonly layout: CgroupLayout;
  /** Mount of the unified hierarchy; absent on pure v1. */
  readonly unified?: string;
  /** Directory holding the v1 controller dirs; absent on pure v2. */
  readonly v1?: string;
}

/** Detects the layout under a cgroup root (two stat calls; call once at startup). */
export function detectCgroupRoots(cgroupRoot: string): CgroupRoots {
  if (existsSync(join(cgroupRoot, 'cgroup.controllers'))) return { layout: 'v2', unified: cgroupRoot };
  if (existsSync(join(cgroupRoot, 'unified'))) return { layout: 'hybrid', unified: join(cgroupRoot, 'unified'), v1: cgroupRoot };
  return { layout: 'v1', v1: cgroupRoot };
}

/**
 * Joins a root and a cgroup path (`/machine/qemu-1-vm1.libvirt-qemu`) and a file name. Undefined for
 * the root group, which is the whole host and never a domain's.
 */
export function groupFile(root: string | undefined, group: string | undefined, file: string): string | undefined {
  if (root === undefined || group === undefined) return undefined;
  const rel = group.replace(/^\/+|\/+$/g, '');
  if (rel === '') return undefined;
  return `${root}/${rel}/${file}`;
}
