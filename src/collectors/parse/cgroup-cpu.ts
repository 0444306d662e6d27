/**
 * CPU accounting files of a cgroup: v1 `cpuacct.usage` (ns) and `cpuacct.stat` (USER_HZ ticks), and
 * `cpu.stat`, whose keys differ by version: v1 (cpu controller) has `nr_periods nr_throttled
 * throttled_time(ns)`, v2 has `usage_usec user_usec system_usec` in every group plus
 * `nr_periods nr_throttled throttled_usec` when the cpu controller is enabled.
 */
import { parseKeyedU64, parseSingleU64 } from './numbers.ts';

/** v1 `cpuacct.usage`: total CPU time of the group's tasks, ns. */
export function parseCpuacctUsage(text: string): bigint | undefined {
  return parseSingleU64(text);
}

/** v1 `cpuacct.stat`, in USER_HZ clock ticks. */
export interface CpuacctStat {
  readonly user?: bigint;
  readonly system?: bigint;
}

/** Parses v1 `cpuacct.stat` (`user N`, `system N`). */
export function parseCpuacctStat(text: string): CpuacctStat {
  const keyed = parseKeyedU64(text);
  const user = keyed.get('user');
  const system = keyed.get('system');
  return { ...(user === undefined ? {} : { user }), ...(system === undefined ? {} : { system }) };
}

/** `cpu.stat` of either version; each key is present only when the kernel printed it. */
export interface CpuStat {
  /** v2: total CPU time, µs. */
  readonly usageUsec?: bigint;
  /** v2: user time, µs. */
  readonly userUsec?: bigint;
  /** v2: system time, µs. */
  readonly systemUsec?: bigint;
  /** Both: enforcement intervals that elapsed. */
  readonly nrPeriods?: bigint;
  /** Both: intervals in which the group was throttled. */
  readonly nrThrottled?: bigint;
  /** v2: time throttled, µs. */
  readonly throttledUsec?: bigint;
  /** v1: time throttled, ns. */
  readonly throttledTimeNs?: bigint;
}

const CPU_STAT_KEYS = {
  usage_usec: 'usageUsec',
  user_usec: 'userUsec',
  system_usec: 'systemUsec',
  nr_periods: 'nrPeriods',
  nr_throttled: 'nrThrottled',
  throttled_usec: 'throttledUsec',
  throttled_time: 'throttledTimeNs',
} as const satisfies Record<string, keyof CpuStat>;

/** Parses `cpu.stat` of either version. */
export function parseCpuStat(text: string): CpuStat {
  const out: { -readonly [K in keyof CpuStat]: CpuStat[K] } = {};
  for (const [key, value] of parseKeyedU64(text)) {
    const name = (CPU_STAT_KEYS as Record<string, keyof CpuStat | undefined>)[key];
    if (name !== undefined) out[name] = value;
  }
  return out;
}
