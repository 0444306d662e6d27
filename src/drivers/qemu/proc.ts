/**
 * QEMU processes seen through /proc: is this pid still our QEMU (not a zombie, not a reused pid),
 * does its command line name our domain, and libvirt's way of killing one
 * (virProcessKillPainfullyDelay: SIGTERM, poll every 200 ms, SIGKILL after 10 s, give up at 40 s).
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { VirtmonError } from '../../domain/errors.ts';
import { optValue } from './qemu-opts.ts';

/** The fields of /proc/PID/stat the driver reads. */
export interface ProcStat {
  /** R, S, D, Z, T … */
  readonly state: string;
  readonly utimeTicks: number;
  readonly stimeTicks: number;
  /** Process start time in clock ticks after boot: with the pid, identifies the process. */
  readonly startTicks: number;
  readonly rssPages: number;
}

/** USER_HZ on Linux. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Parses /proc/PID/stat text (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state); field N is f[N - 3].
  const n = (field: number): number => Number(f[field - 3]);
  const stat = { state: f[0] ?? '', utimeTicks: n(14), stimeTicks: n(15), startTicks: n(22), rssPages: n(24) };
  return Number.isFinite(stat.startTicks) ? stat : undefined;
}

/** /proc/PID/stat, or undefined when the process is gone. */
export async function readProcStat(pid: number, procRoot = '/proc'): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * True while `pid` runs and is the process that started at `startTicks` (when given). A zombie counts
 * as gone: an orphaned QEMU may stay a zombie for a while when nobody reaps it.
 */
export async function isAlive(pid: number, startTicks?: number, procRoot = '/proc'): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  const stat = await readProcStat(pid, procRoot);
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return false;
  return startTicks === undefined || stat.startTicks === startTicks;
}

/**
 * True when /proc/PID/cmdline is a QEMU of this domain: it holds our `-name guest=NAME,…` and
 * `-uuid UUID` (libvirt-semantics.md §8, step 1).
 */
export async function isQemuOf(pid: number, name: string, uuid: string, procRoot = '/proc'): Promise<boolean> {
  let args: string[];
  try {
    args = (await readFile(`${procRoot}/${pid}/cmdline`, 'utf8')).split('\0');
  } catch {
    return false;
  }
  const guest = `guest=${optValue(name)}`;
  const nameOk = args.some((a, i) => args[i - 1] === '-name' && (a === guest || a.startsWith(`${guest},`)));
  const uuidOk = args.some((a, i) => args[i - 1] === '-uuid' && a.toLowerCase() === uuid);
  return nameOk && uuidOk;
}

/** Sends a signal; a process that is already gone is not an error. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Waits until the process is gone; false when it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, startTicks: number | undefined, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (!(await isAlive(pid, startTicks))) return true;
    if (performance.now() >= deadline) return false;
    await sleep(pollMs);
  }
}

/** Timings of {@link killPainfully}. */
export interface KillTimings {
  readonly pollMs: number;
  readonly sigkillAfterMs: number;
  readonly giveUpMs: number;
}

/** libvirt's virProcessKillPainfullyDelay timings. */
export const LIBVIRT_KILL_TIMINGS: KillTimings = { pollMs: 200, sigkillAfterMs: 10_000, giveUpMs: 40_000 };

/**
 * SIGTERM, then SIGKILL once `sigkillAfterMs` passed (unless `graceful`), polling every `pollMs`;
 * throws after `giveUpMs` (graceful: after 15 s) like libvirt: `Failed to terminate process N with
 * SIGKILL: Device or resource busy`. `force` sends SIGKILL at once.
 */
export async function killPainfully(
  pid: number,
  startTicks: number | undefined,
  options: { readonly force?: boolean; readonly graceful?: boolean; readonly timings?: KillTimings } = {},
): Promise<void> {
  const t = options.timings ?? LIBVIRT_KILL_TIMINGS;
  if (!(await isAlive(pid, startTicks))) return;
  const giveUp = options.graceful === true ? 15_000 : t.giveUpMs;
  const start = performance.now();
  let sent: NodeJS.Signals = options.force === true ? 'SIGKILL' : 'SIGTERM';
  signal(pid, sent);
  for (;;) {
    await sleep(t.pollMs);
    if (!(await isAlive(pid, startTicks))) return;
    const elapsed = performance.now() - start;
    if (elapsed >= giveUp) break;
    if (sent === 'SIGTERM' && options.graceful !== true && elapsed >= t.sigkillAfterMs) {
      sent = 'SIGKILL';
      signal(pid, sent);
    }
  }
  throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `Failed to terminate process ${pid} with ${sent}: Device or resource busy`);
}

/** CPU time of a process (utime + stime) in ns, 0 when it is gone. */
export async function processCpuTimeNs(pid: number): Promise<bigint> {
  const stat = await readProcStat(pid);
  if (stat === undefined) return 0n;
  return BigInt(stat.utimeTicks + stat.stimeTicks) * (1_000_000_000n / BigInt(CLOCK_TICKS_PER_SECOND));
}
