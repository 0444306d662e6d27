/**
 * Real per-domain cgroups for bench/scale (performance.md §8.3: kernel-generated files, not tmpfs
 * copies): for each simulated domain a group in the unified hierarchy (`cpu.stat` → cpu.time, as libvirt
 * reads it on hybrid hosts) and in the v1 `memory` and `cpu` hierarchies (memory.usage_in_bytes,
 * cpu.stat throttled_time), each under this process's own group, with the domain's helper process
 * moved in. Removed again on close (helpers must have exited first). Needs root and the hybrid layout of
 * the test machines; without it the bench runs without cgroups and says so.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupPlacement } from '../../src/domain/stats-target.ts';
import { parseProcCgroup } from '../../src/collectors/parse/proc-cgroup.ts';

const ROOT = '/sys/fs/cgroup';

/** The groups of a bench run. */
export interface BenchCgroups {
  /** Placement of domain i (relative paths, as a driver reports them). */
  placement(i: number): CgroupPlacement;
  /** Removes every group (after the processes in them exited). */
  remove(): Promise<void>;
}

/** Creates one group per domain in each hierarchy and moves `pids[i]` into domain i's groups; undefined when not possible here. */
export function createBenchCgroups(pids: readonly number[], tag: string): BenchCgroups | undefined {
  if (process.getuid?.() !== 0 || !existsSync(`${ROOT}/unified/cgroup.procs`) || !existsSync(`${ROOT}/memory/cgroup.procs`)) return undefined;
  const own = parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8'));
  const base = {
    unified: `${(own.unified ?? '/').replace(/\/$/, '')}/${tag}`,
    memory: `${(own.v1.get('memory') ?? '/').replace(/\/$/, '')}/${tag}`,
    cpu: `${(own.v1.get('cpu') ?? '/').replace(/\/$/, '')}/${tag}`,
  };
  const abs = { unified: `${ROOT}/unified${base.unified}`, memory: `${ROOT}/memory${base.memory}`, cpu: `${ROOT}/cpu${base.cpu}` };
  const made: string[] = [];
  const remove = async (): Promise<void> => {
    for (const dir of [...made].reverse()) {
      for (let attempt = 0; ; attempt++) {
        try {
          rmdirSync(dir);
          break;
        } catch (error) {
          // A group whose last task just died is busy for a moment.
          if (attempt >= 50) throw error;
          await sleep(20);
        }
      }
    }
  };
  try {
    for (const dir of Object.values(abs)) { mkdirSync(dir); made.push(dir); }
    pids.forEach((pid, i) => {
      for (const dir of Object.values(abs)) {
        mkdirSync(`${dir}/d${i}`);
        made.push(`${dir}/d${i}`);
        writeFileSync(`${dir}/d${i}/cgroup.procs`, String(pid));
      }
    });
  } catch (error) {
    void remove();
    throw error;
  }
  return {
    placement: (i) => ({ unified: `${base.unified}/d${i}`, v1: { memory: `${base.memory}/d${i}`, cpu: `${base.cpu}/d${i}` } }),
    remove,
  };
}
