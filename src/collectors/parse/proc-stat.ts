/**
 * `/proc/PID/stat` and `/proc/PID/task/TID/stat` (proc(5)). The second field, `comm`, is in parentheses
 * and may itself contain spaces and parentheses (`CPU 0/KVM`, `a) b (c`), so the fields after it are
 * found from the last `)` in the line, as procps does.
 */
import { parseU64 } from './numbers.ts';

/** The fields the collectors use. Times are in clock ticks (USER_HZ), `rss` in pages. */
export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  /** One-letter state (`R`, `S`, `D`, `Z`, …). */
  readonly state: string;
  /** Field 14: user-mode time, clock ticks. */
  readonly utime: bigint;
  /** Field 15: kernel-mode time, clock ticks. */
  readonly stime: bigint;
  /** Field 20. */
  readonly numThreads: number;
  /** Field 22: start time after boot, clock ticks. */
  readonly starttime: bigint;
  /** Field 24: resident set size, pages. */
  readonly rss: bigint;
  /** Field 39: CPU the task last ran on (absent on very old kernels). */
  readonly processor?: number;
}

/** Index of field N (1-based, N ≥ 3) in the list of fields after the `)`. */
const at = (field: number): number => field - 3;

/** Parses one stat line; undefined when it is not in the kernel's format. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open <= 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open));
  const rest = text.slice(close + 2).trimEnd().split(' ');
  const utime = parseU64(rest[at(14)] ?? '');
  const stime = parseU64(rest[at(15)] ?? '');
  const starttime = parseU64(rest[at(22)] ?? '');
  const rss = parseU64(rest[at(24)] ?? '');
  const state = rest[at(3)];
  if (!Number.isSafeInteger(pid) || state === undefined || utime === undefined || stime === undefined
    || starttime === undefined || rss === undefined) return undefined;
  const processor = Number(rest[at(39)]);
  const base = {
    pid,
    comm: text.slice(open + 2, close),
    state,
    utime,
    stime,
    numThreads: Number(rest[at(20)]),
    starttime,
    rss,
  };
  return rest.length > at(39) && Number.isSafeInteger(processor) ? { ...base, processor } : base;
}
