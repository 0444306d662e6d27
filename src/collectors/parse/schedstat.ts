/**
 * Scheduler statistics of a task: `/proc/PID/task/TID/schedstat` (CONFIG_SCHED_INFO, always on in
 * distribution kernels) and the `wait_sum` line of `/proc/PID/task/TID/sched` (needs schedstats:
 * CONFIG_SCHEDSTATS and `kernel.sched_schedstats=1`, so often missing).
 */
import { parseU64 } from './numbers.ts';

/** `schedstat`: three numbers (Documentation/scheduler/sched-stats.rst). */
export interface Schedstat {
  /** Time spent on the CPU, ns. */
  readonly runNs: bigint;
  /** Time spent waiting on a run queue, ns (libvirt's `vcpu.N.delay`, the steal seen from the host). */
  readonly waitNs: bigint;
  /** Number of time slices run on this CPU. */
  readonly slices: bigint;
}

/** Parses `schedstat`; undefined when it does not hold three u64. */
export function parseSchedstat(text: string): Schedstat | undefined {
  const [run, wait, slices] = text.trim().split(' ');
  const runNs = parseU64(run ?? '');
  const waitNs = parseU64(wait ?? '');
  const count = parseU64(slices ?? '');
  if (runNs === undefined || waitNs === undefined || count === undefined) return undefined;
  return { runNs, waitNs, slices: count };
}

/** Keys of the run-queue wait sum: kernels before 5.16 nest it under `se.statistics.`. */
const WAIT_SUM_KEYS = ['wait_sum', 'se.statistics.wait_sum'];
/** `%Ld.%06ld`: milliseconds and the remaining nanoseconds, exactly as SPLIT_NS prints them. */
const MS_NS = /^(\d+)(?:\.(\d{1,6}))?$/;

/**
 * The total run-queue wait in ns from a `sched` file, exact (no double): the kernel prints it as
 * `ms.nnnnnn`. Undefined when the kernel does not keep schedstats.
 */
export function parseSchedWaitSumNs(text: string): bigint | undefined {
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || !WAIT_SUM_KEYS.includes(line.slice(0, colon).trimEnd())) continue;
    const m = MS_NS.exec(line.slice(colon + 1).trim());
    if (m === null) return undefined;
    return BigInt(m[1] ?? '0') * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
  }
  return undefined;
}
