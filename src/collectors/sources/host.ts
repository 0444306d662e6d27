/**
 * Host constants the sources convert with: the clock tick of /proc and cpuacct.stat times (USER_HZ,
 * `getconf CLK_TCK`, 100 on every Linux architecture virtmon runs on) and the page size of the RSS field.
 */
import { execFileSync } from 'node:child_process';

/** Conversion constants, injected into the source context. */
export interface HostConstants {
  /** USER_HZ: clock ticks per second of /proc/PID/stat and cpuacct.stat. */
  readonly clockTicks: number;
  /** Bytes per page of /proc/PID/stat `rss`. */
  readonly pageSize: number;
}

/** The usual Linux values (x86_64, aarch64 with 4 KiB pages). */
export const DEFAULT_HOST_CONSTANTS: HostConstants = { clockTicks: 100, pageSize: 4096 };

/** Runs a command and returns stdout; the default runs `getconf` with a short timeout. */
export type GetconfRunner = (name: string) => string;

const runGetconf: GetconfRunner = (name) =>
  execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] });

const positiveInt = (text: string | undefined): number | undefined => {
  const value = Number(text?.trim());
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
};

/**
 * Asks `getconf CLK_TCK` and `getconf PAGESIZE` once (startup only: it spawns two processes) and falls
 * back to {@link DEFAULT_HOST_CONSTANTS} for a value it cannot get.
 */
export function detectHostConstants(run: GetconfRunner = runGetconf): HostConstants {
  const ask = (name: string): number | undefined => {
    try {
      return positiveInt(run(name));
    } catch {
      return undefined;
    }
  };
  return {
    clockTicks: ask('CLK_TCK') ?? DEFAULT_HOST_CONSTANTS.clockTicks,
    pageSize: ask('PAGESIZE') ?? DEFAULT_HOST_CONSTANTS.pageSize,
  };
}

/** Clock ticks → ns, exact (bigint). */
export function ticksToNs(ticks: bigint, host: HostConstants): bigint {
  return (ticks * 1_000_000_000n) / BigInt(host.clockTicks);
}
