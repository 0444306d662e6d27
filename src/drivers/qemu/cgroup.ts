/**
 * Per-domain cgroups (libvirt-semantics.md §10): `<partition>/virtmon-ID-NAME.libvirt-qemu` in every
 * hierarchy, with `emulator` (the QEMU process) and `vcpuN` (vCPU threads) children where the
 * hierarchy takes threads (v1 cpu, cpuacct, cpuset; cgroup2 as `threaded` groups). Groups are removed
 * when the domain stops (retrying EBUSY as libvirt does). A host without some controllers, or where the
 * driver may not write, degrades: one warning, then statistics come from /proc.
 */
import { mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, relative } from 'node:path';
import type { Logger } from '../../domain/logger.ts';
import type { CgroupPlacement } from '../../domain/stats-target.ts';
import { THREAD_CONTROLLERS, detectCgroupLayout } from './cgroup-layout.ts';
import type { CgroupLayout, V1Controller } from './cgroup-layout.ts';

/** One hierarchy's groups of a domain. */
export interface CgroupDirs {
  /** Absolute path of the domain group. */
  readonly group: string;
  /** Takes threads: has `emulator` and `vcpuN` children. */
  readonly threads: boolean;
  /** cgroup2 (threads go through cgroup.threads, children are `threaded`). */
  readonly v2: boolean;
}

/** A domain's cgroups, as kept in its status file. */
export interface CgroupRecord {
  readonly placement: CgroupPlacement;
  readonly dirs: readonly CgroupDirs[];
}

const tasksFile = (d: CgroupDirs): string => (d.v2 ? 'cgroup.threads' : 'tasks');

/** The driver's cgroup side. Detects the layout once, lazily. */
export class CgroupManager {
  readonly #root: string;
  readonly #partition: string;
  readonly #enabled: boolean;
  readonly #log: Logger;
  #layout: Promise<CgroupLayout> | undefined;
  #warned = false;

  constructor(options: { root: string; partition: string; enabled: boolean; logger: Logger }) {
    this.#root = options.root;
    this.#partition = options.partition;
    this.#enabled = options.enabled;
    this.#log = options.logger;
  }

  /** The detected layout. */
  layout(): Promise<CgroupLayout> {
    this.#layout ??= detectCgroupLayout(this.#root);
    return this.#layout;
  }

  #warnOnce(fields: Record<string, unknown>, message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#log.warn(fields, message);
  }

  /** The partition's absolute path inside a hierarchy mounted at `mount` where this process sits at `self`. */
  #partitionDir(mount: string, self: string | undefined): string {
    const base = this.#partition.startsWith('/') ? this.#partition : join(self ?? '/', this.#partition);
    return join(mount, base);
  }

  /**
   * Creates the domain's groups and moves QEMU (`pid`, all its threads) into them. Returns undefined
   * when cgroups are disabled or unusable here (logged once).
   */
  async create(id: number, name: string, pid: number): Promise<CgroupRecord | undefined> {
    if (!this.#enabled) return undefined;
    const layout = await this.layout();
    if (layout.missing.length > 0) {
      this.#warnOnce({ missing: layout.missing, root: this.#root },
        'cgroup controllers not mounted: their statistics come from /proc instead');
    }
    const leaf = `virtmon-${id}-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.libvirt-qemu`;
    const dirs: CgroupDirs[] = [];
    const v1: Partial<Record<V1Controller, string>> = {};
    const byMount = new Map<string, CgroupDirs>();
    for (const [ctrl, mount] of layout.v1) {
      let d = byMount.get(mount);
      if (d === undefined) {
        d = { group: join(this.#partitionDir(mount, layout.self.v1.get(ctrl)), leaf), threads: THREAD_CONTROLLERS.has(ctrl), v2: false };
        byMount.set(mount, d);
        dirs.push(d);
      }
      v1[ctrl] = `/${relative(mount, d.group)}`;
    }
    let unified: string | undefined;
    if (layout.unified !== undefined) {
      const d: CgroupDirs = { group: join(this.#partitionDir(layout.unified, layout.self.unified), leaf), threads: true, v2: true };
      dirs.push(d);
      unified = `/${relative(layout.unified, d.group)}`;
    }
    if (dirs.length === 0) return undefined;
    const record: CgroupRecord = {
      placement: { ...(unified === undefined ? {} : { unified }), ...(Object.keys(v1).length > 0 ? { v1 } : {}) },
      dirs,
    };
    try {
      for (const d of dirs) await this.#makeGroup(d, layout);
      for (const d of dirs) {
        await writeFile(join(d.threads ? join(d.group, 'emulator') : d.group, 'cgroup.procs'), String(pid));
      }
    } catch (err) {
      this.#warnOnce({ err, partition: this.#partition }, 'cannot place QEMU in cgroups: statistics come from /proc instead');
      await this.remove(record).catch(() => undefined);
      return undefined;
    }
    return record;
  }

  /** Moves each vCPU thread into its `vcpuN` group (N = position in `tids`). */
  async placeVcpus(record: CgroupRecord, tids: readonly number[]): Promise<void> {
    for (const d of record.dirs) {
      if (!d.threads) continue;
      for (const [n, tid] of tids.entries()) {
        const dir = join(d.group, `vcpu${n}`);
        await this.#mkdirLevel(dir, d.v2, true);
        await writeFile(join(dir, tasksFile(d)), String(tid));
      }
    }
  }

  /** Removes the groups (children first); EBUSY is retried 5 times, 200 ms apart. */
  async remove(record: CgroupRecord): Promise<void> {
    const failures: unknown[] = [];
    for (const d of record.dirs) {
      const children = await listChildGroups(d.group);
      for (const dir of [...children.map((c) => join(d.group, c)), d.group]) {
        try {
          await rmdirRetry(dir);
        } catch (err) {
          failures.push(err);
        }
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  async #makeGroup(d: CgroupDirs, layout: CgroupLayout): Promise<void> {
    const mountOf = d.v2 ? (layout.unified ?? '') : [...layout.v1.values()].find((m) => d.group.startsWith(`${m}/`)) ?? '';
    // Every level from the mount down, so cpuset values and v2 controllers are set on new ones.
    const levels = relative(mountOf, d.group).split('/');
    let dir = mountOf;
    for (const part of levels) {
      dir = join(dir, part);
      await this.#mkdirLevel(dir, d.v2, false);
      if (d.v2 && layout.unifiedControllers.length > 0 && dir !== d.group) await enableControllers(dir);
    }
    if (d.threads) await this.#mkdirLevel(join(d.group, 'emulator'), d.v2, true);
  }

  /** mkdir that tolerates an existing group; a new v1 cpuset group copies its parent's cpus and mems. */
  async #mkdirLevel(dir: string, v2: boolean, threaded: boolean): Promise<void> {
    let created = true;
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      created = false;
    }
    if (!created) return;
    if (v2 && threaded) await writeFile(join(dir, 'cgroup.type'), 'threaded');
    if (!v2) await copyCpuset(dir);
  }
}

/** A new v1 cpuset group has empty cpus and mems and refuses tasks until they are set. */
async function copyCpuset(dir: string): Promise<void> {
  for (const file of ['cpuset.cpus', 'cpuset.mems']) {
    let mine: string;
    try {
      mine = (await readFile(join(dir, file), 'utf8')).trim();
    } catch {
      return; // not a cpuset hierarchy
    }
    if (mine !== '') continue;
    const parent = (await readFile(join(dir, '..', file), 'utf8')).trim();
    await writeFile(join(dir, file), parent);
  }
}

/** Enables in `dir` every controller its parent hands down (pure cgroup2 hosts), tolerating refusals. */
async function enableControllers(dir: string): Promise<void> {
  const available = (await readFile(join(dir, 'cgroup.controllers'), 'utf8').catch(() => '')).trim().split(/\s+/).filter((c) => c !== '');
  for (const c of available) await writeFile(join(dir, 'cgroup.subtree_control'), `+${c}`).catch(() => undefined);
}

async function listChildGroups(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

async function rmdirRetry(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= 5) throw err;
      await sleep(200);
    }
  }
}
