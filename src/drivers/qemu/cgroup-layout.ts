/**
 * Which cgroup hierarchies this host has (libvirt-semantics.md §10): v1 controllers mounted under
 * `<root>/<controller>`, a cgroup2 hierarchy at `<root>` (pure v2) or `<root>/unified` (hybrid), and
 * where this process itself sits in each (for a relative partition, as libvirt resolves one).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** v1 controllers the driver places QEMU in. `cpu`, `cpuacct`, `cpuset` take threads (vcpuN groups). */
export const V1_CONTROLLERS = ['cpu', 'cpuacct', 'cpuset', 'memory', 'blkio'] as const;
/** One of {@link V1_CONTROLLERS}. */
export type V1Controller = (typeof V1_CONTROLLERS)[number];
/** v1 controllers that allow threads of one process in different groups. */
export const THREAD_CONTROLLERS: ReadonlySet<V1Controller> = new Set(['cpu', 'cpuacct', 'cpuset']);

/** The detected hierarchies. */
export interface CgroupLayout {
  /** Mount directory of each v1 controller found (co-mounted controllers share one). */
  readonly v1: ReadonlyMap<V1Controller, string>;
  /** Mount directory of the cgroup2 hierarchy, if any. */
  readonly unified?: string;
  /** Controllers the cgroup2 root offers (empty on hybrid hosts). */
  readonly unifiedControllers: readonly string[];
  /** This process's own group per v1 controller and in cgroup2 (`/proc/self/cgroup`). */
  readonly self: { readonly v1: ReadonlyMap<string, string>; readonly unified?: string };
  /** v1 controllers not found (their statistics come from /proc). */
  readonly missing: readonly V1Controller[];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Parses /proc/self/cgroup: `N:ctrl,ctrl:/path` lines; `0::/path` is cgroup2. */
export function parseProcCgroup(text: string): { v1: Map<string, string>; unified?: string } {
  const v1 = new Map<string, string>();
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (m === null) continue;
    const [, hid, ctrls = '', path = '/'] = m;
    if (hid === '0' && ctrls === '') unified = path;
    else for (const c of ctrls.split(',')) if (c !== '') v1.set(c, path);
  }
  return unified === undefined ? { v1 } : { v1, unified };
}

/** Looks at `<root>` (normally /sys/fs/cgroup). */
export async function detectCgroupLayout(root: string, procSelfCgroup = '/proc/self/cgroup'): Promise<CgroupLayout> {
  const v1 = new Map<V1Controller, string>();
  const missing: V1Controller[] = [];
  for (const ctrl of V1_CONTROLLERS) {
    const dir = join(root, ctrl);
    if (await isFile(join(dir, 'tasks'))) v1.set(ctrl, await realpath(dir));
    else missing.push(ctrl);
  }
  let unified: string | undefined;
  if (await isFile(join(root, 'cgroup.controllers'))) unified = root;
  else if (await isFile(join(root, 'unified', 'cgroup.controllers'))) unified = join(root, 'unified');
  const unifiedControllers = unified === undefined
    ? []
    : (await readFile(join(unified, 'cgroup.controllers'), 'utf8')).trim().split(/\s+/).filter((c) => c !== '');
  const self = parseProcCgroup(await readFile(procSelfCgroup, 'utf8').catch(() => ''));
  // On a pure v2 host no v1 controller is "missing": cgroup2 provides them.
  const reallyMissing = unified === root ? [] : missing;
  return { v1, ...(unified === undefined ? {} : { unified }), unifiedControllers, self, missing: reallyMissing };
}
