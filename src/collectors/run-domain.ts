/**
 * Runs a set of collectors for one domain within its budget (style.md habit 4). Each collector writes
 * its own field map; the file-based ones finish at once, the QMP ones are sent together and await
 * their replies. At the deadline the signal aborts (the QMP client drops the wait) and every collector
 * not finished yet is recorded as timed out; whatever it writes later is ignored. `settled` resolves
 * when every collector has returned, which is what the scheduler's busy-skip waits for.
 */
import { performance } from 'node:perf_hooks';
import type { SampleFields } from '../domain/sample.ts';
import type { StatsTarget } from '../domain/stats-target.ts';
import { VirtmonError } from '../domain/errors.ts';
import { failureKind } from './failure.ts';
import type { NetDevTable } from './parse/net-dev.ts';
import type { Timers } from './schedule/timers.ts';
import type { SourceContext } from './sources/context.ts';
import type { CollectContext, Collector, DomainHints, FailureKind } from './types.ts';

/** One reported failure. */
export interface Failure {
  readonly kind: FailureKind;
  readonly error: unknown;
  readonly partial: boolean;
}

/** How one collector did for one domain. */
export interface CollectorOutcome {
  /** `ok` (possibly with partial failures), `failed` (fields dropped) or `timeout` (not finished in budget). */
  readonly status: 'ok' | 'failed' | 'timeout';
  readonly fields: SampleFields;
  readonly failures: readonly Failure[];
  readonly durationMs: number;
}

/** The result at the deadline or when every collector finished, whichever came first. */
export interface DomainRun {
  readonly outcomes: ReadonlyMap<string, CollectorOutcome>;
  readonly timedOut: boolean;
}

/** What {@link runDomain} needs besides the target. */
export interface RunDomainOptions {
  readonly collectors: readonly Collector[];
  readonly sources: SourceContext;
  readonly netDev: () => NetDevTable | undefined;
  /** Wall-clock ms of the cycle. */
  readonly now: number;
  /** Budget in ms. */
  readonly budgetMs: number;
  /** Per-collector memo of this domain. */
  memo(collector: string): Map<string, unknown>;
  readonly hints: DomainHints;
  readonly timers: Timers;
  /** Aborts everything (scheduler stop). */
  readonly signal?: AbortSignal;
}

/** Starts the collectors; `result` resolves at completion or deadline, `settled` when all returned. */
export function runDomain(target: StatsTarget, options: RunDomainOptions): { result: Promise<DomainRun>; settled: Promise<void> } {
  const controller = new AbortController();
  const outcomes = new Map<string, CollectorOutcome>();
  let expired = false;
  let finish: (run: DomainRun) => void = () => undefined;
  const result = new Promise<DomainRun>((resolve) => { finish = resolve; });
  const started = performance.now();

  const expire = (reason: VirtmonError): void => {
    if (expired) return;
    expired = true;
    const elapsed = performance.now() - started;
    for (const c of options.collectors) {
      if (!outcomes.has(c.name)) {
        outcomes.set(c.name, { status: 'timeout', fields: new Map(), failures: [{ kind: 'timeout', error: reason, partial: false }], durationMs: elapsed });
      }
    }
    controller.abort(reason);
    finish({ outcomes, timedOut: true });
  };
  const onStop = (): void => { expire(new VirtmonError('VIR_ERR_OPERATION_ABORTED', 'the scheduler stopped')); };
  if (options.signal?.aborted === true) {
    onStop();
    return { result, settled: Promise.resolve() };
  }

  const record = (collector: Collector, fields: SampleFields, failures: readonly Failure[], t0: number): void => {
    if (expired) return;
    let hard = false;
    let timeout = false;
    for (const f of failures) {
      if (f.partial) continue;
      hard = true;
      if (f.kind === 'timeout') timeout = true;
    }
    outcomes.set(collector.name, {
      // A QMP call that hit its own deadline (the remaining budget) is the domain running over budget too.
      status: !hard ? 'ok' : timeout ? 'timeout' : 'failed',
      fields,
      failures,
      durationMs: performance.now() - t0,
    });
  };

  /** Runs one collector; a promise only when it waits (QMP), so file collectors cost no promise. */
  const runOne = (collector: Collector): Promise<void> | undefined => {
    const fields: SampleFields = new Map();
    const failures: Failure[] = [];
    const ctx: CollectContext = {
      sample: fields,
      signal: controller.signal,
      sources: options.sources,
      netDev: options.netDev,
      now: options.now,
      timeoutMs: Math.max(1, options.budgetMs - (performance.now() - started)),
      memo: options.memo(collector.name),
      hints: options.hints,
      fail: (kind, error, opts) => { failures.push({ kind, error, partial: opts?.partial === true }); },
    };
    const t0 = performance.now();
    let pending: void | Promise<void> = undefined;
    try {
      pending = collector.collect(target, ctx);
    } catch (error) {
      // The contract says collectors do not throw; a bug still only costs this collector its cycle.
      failures.push({ kind: failureKind(error), error, partial: false });
    }
    if (pending === undefined) {
      record(collector, fields, failures, t0);
      return undefined;
    }
    return pending.then(
      () => { record(collector, fields, failures, t0); },
      (error: unknown) => {
        failures.push({ kind: failureKind(error), error, partial: false });
        record(collector, fields, failures, t0);
      },
    );
  };

  const waiting: Promise<void>[] = [];
  for (const c of options.collectors) {
    const p = runOne(c);
    if (p !== undefined) waiting.push(p);
  }
  const done = (): void => {
    if (!expired) finish({ outcomes, timedOut: [...outcomes.values()].some((o) => o.status === 'timeout') });
  };
  if (waiting.length === 0) {
    // Everything answered synchronously (files, the test driver): no deadline timer, no listener.
    done();
    return { result, settled: Promise.resolve() };
  }
  const timer = options.timers.setTimeout(() => {
    expire(new VirtmonError('VIR_ERR_OPERATION_TIMEOUT', `domain '${target.ref.name}' exceeded its budget of ${options.budgetMs} ms`));
  }, Math.max(0, options.budgetMs - (performance.now() - started)));
  options.signal?.addEventListener('abort', onStop, { once: true });
  const settled = Promise.all(waiting).then(() => {
    options.timers.clearTimeout(timer);
    options.signal?.removeEventListener('abort', onStop);
    done();
  });
  return { result, settled };
}
