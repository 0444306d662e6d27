/**
 * The floor of one domain-cycle of bench/scale's workload, from performance.md's local floors
 * (R1 in §9): QMP client CPU per command (§6.1) for the commands a steady cycle sends, plus CPU per
 * pread on a kept fd (§6.2) for each file it reads. The exposition term (0.16 µs per series) is left
 * out because bench/scale measures collection only. Files §6.2 did not measure take the row of the
 * nearest file in size (noted per entry).
 */

/** µs of client CPU per QMP command (performance.md §6.1). */
const QMP_US = {
  'query-blockstats': 70,
  // qom-get guest-stats (~450 B reply) was not measured; query-block's 45 µs (1.7 KB) bounds it.
  'qom-get': 45,
} as const;

/** µs of CPU per kept-fd pread (performance.md §6.2). */
const FILE_US = {
  'cgroup v2 cpu.stat': 1.8,
  'cgroup v1 memory.usage_in_bytes': 2.1, // as cpuacct.usage (one number)
  'cgroup v1 cpu.stat': 2.1, // as cpuacct.usage (three short lines)
  '/proc/PID/stat': 4.5,
  '/proc/PID/statm': 4.5, // bounded by /proc/PID/stat
  'task stat': 4.2,
  'task sched': 9.0, // as /proc/self/status (1.4 KB)
  'task schedstat': 2.1, // as cpuacct.usage
} as const;

/** Floor in ms per domain-cycle: 2 QMP commands, 2 vCPU threads × 3 files, cgroup files or /proc stat. */
export function floorMsPerDomainCycle(cgroups: boolean): number {
  const qmp = QMP_US['query-blockstats'] + QMP_US['qom-get'];
  const vcpu = 2 * (FILE_US['task stat'] + FILE_US['task sched'] + FILE_US['task schedstat']);
  const host = cgroups
    ? FILE_US['cgroup v2 cpu.stat'] + FILE_US['cgroup v1 memory.usage_in_bytes'] + FILE_US['cgroup v1 cpu.stat'] + FILE_US['/proc/PID/statm']
    : FILE_US['/proc/PID/stat'] + FILE_US['/proc/PID/statm'];
  return Number(((qmp + vcpu + host) / 1000).toFixed(4));
}
