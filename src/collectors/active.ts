/** Shared helpers of the collectors. */
import { isActiveState } from '../domain/states.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import { failureKind } from './failure.ts';
import type { CollectContext } from './types.ts';

/** True when the domain has a live process to sample (inactive domains get `state.*` only). */
export function isSampled(target: StatsTarget): boolean {
  return isActiveState(target.state().state);
}

/**
 * Runs synchronous file reads; an unexpected error (EACCES, EIO: the kept-fd reader already turns a
 * vanished process or cgroup into absent fields) becomes a reported failure instead of a throw.
 */
export function readFiles(ctx: CollectContext, read: () => void): void {
  try {
    read();
  } catch (error) {
    ctx.fail(failureKind(error), error);
  }
}

/** A QMP call with the domain's deadline and abort signal. */
export function qmp<T>(target: StatsTarget, ctx: CollectContext, command: string, args?: Record<string, unknown>): Promise<T> {
  const executor = target.qmp;
  if (executor === undefined) return Promise.reject(new Error(`no QEMU monitor for '${command}'`));
  return executor.execute<T>(command, args, { signal: ctx.signal, timeoutMs: Math.max(1, ctx.timeoutMs) });
}
