/**
 * Per-process and per-thread files under the proc root, read through kept fds owned by the domain.
 * Every reader returns undefined when the process or thread is gone (never throws for that).
 */
import type { ProcStat } from '../parse/proc-stat.ts';
import { parseProcStat } from '../parse/proc-stat.ts';
import type { Schedstat } from '../parse/schedstat.ts';
import { parseSchedWaitSumNs, parseSchedstat } from '../parse/schedstat.ts';
import { parseStatmResidentPages } from '../parse/statm.ts';
import type { SourceContext } from './context.ts';

const taskDir = (ctx: SourceContext, pid: number, tid: number): string => `${ctx.paths.proc}/${pid}/task/${tid}`;

/** `/proc/PID/stat`. */
export function readProcStat(ctx: SourceContext, owner: string, pid: number): ProcStat | undefined {
  const text = ctx.files.read(`${ctx.paths.proc}/${pid}/stat`, owner);
  return text === undefined ? undefined : parseProcStat(text);
}

/** Resident pages from `/proc/PID/statm`; undefined when the file or process is missing. */
export function readStatmResidentPages(ctx: SourceContext, owner: string, pid: number): bigint | undefined {
  const text = ctx.files.read(`${ctx.paths.proc}/${pid}/statm`, owner);
  return text === undefined ? undefined : parseStatmResidentPages(text);
}

/** `/proc/PID/task/TID/stat`. */
export function readTaskStat(ctx: SourceContext, owner: string, pid: number, tid: number): ProcStat | undefined {
  const text = ctx.files.read(`${taskDir(ctx, pid, tid)}/stat`, owner);
  return text === undefined ? undefined : parseProcStat(text);
}

/** `/proc/PID/task/TID/schedstat`. */
export function readTaskSchedstat(ctx: SourceContext, owner: string, pid: number, tid: number): Schedstat | undefined {
  const text = ctx.files.read(`${taskDir(ctx, pid, tid)}/schedstat`, owner);
  return text === undefined ? undefined : parseSchedstat(text);
}

/** `wait_sum` of `/proc/PID/task/TID/sched` in ns; undefined without schedstats or when gone. */
export function readTaskWaitSumNs(ctx: SourceContext, owner: string, pid: number, tid: number): bigint | undefined {
  const text = ctx.files.read(`${taskDir(ctx, pid, tid)}/sched`, owner);
  return text === undefined ? undefined : parseSchedWaitSumNs(text);
}

/** `/proc/PID/cgroup` text, read once (not kept: placement is resolved at start, not per cycle). */
export function readProcCgroupText(ctx: SourceContext, pid: number): string | undefined {
  const path = `${ctx.paths.proc}/${pid}/cgroup`;
  const text = ctx.files.read(path);
  ctx.files.close(path);
  return text;
}
