/**
 * The per rule-and-domain state machine: OK / WARNING / FAILURE with `for` (Prometheus: the condition
 * must hold this long) and `hits` (our collectd.md §5 semantics: act on the N-th consecutive
 * out-of-range sample, N=1 at once). Both must be met to escalate; leaving a state is immediate
 * (hysteresis already makes it sticky). A transition is reported once; `persist`/`persistOk` repeat a
 * notification on every sample, as collectd's Persist/PersistOK.
 */
import type { Severity } from '../actions/notify/types.ts';
import { RANK } from './thresholds.ts';

/** Debounce settings of a rule. */
export interface DebounceSettings {
  readonly forMs: number;
  readonly hits: number;
  readonly persist: boolean;
  readonly persistOk: boolean;
}

/** What one sample did to the state. */
export type StepResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'transition'; readonly from: Severity; readonly to: Severity }
  | { readonly kind: 'repeat'; readonly severity: Severity };

const NONE: StepResult = { kind: 'none' };

/** State of one rule on one domain. */
export class DebounceState {
  #severity: Severity = 'okay';
  #since = 0;
  /** First time and count of consecutive samples at warning-or-worse / at failure. */
  #badSince: number | undefined;
  #badHits = 0;
  #failSince: number | undefined;
  #failHits = 0;

  /** Current state. */
  get severity(): Severity {
    return this.#severity;
  }

  /** When the current state began (epoch ms; 0 before any transition). */
  get since(): number {
    return this.#since;
  }

  /** Feeds the severity one sample deserves at time `now`. */
  step(candidate: Severity, now: number, s: DebounceSettings): StepResult {
    if (candidate === 'okay') {
      this.#badSince = undefined;
      this.#badHits = 0;
    } else {
      this.#badSince ??= now;
      this.#badHits++;
    }
    if (candidate === 'failure') {
      this.#failSince ??= now;
      this.#failHits++;
    } else {
      this.#failSince = undefined;
      this.#failHits = 0;
    }
    const current = this.#severity;
    if (candidate === current) return this.#repeat(current, s);
    if (RANK[candidate] < RANK[current]) return this.#move(candidate, now);
    const ready = (since: number | undefined, hits: number): boolean => since !== undefined && hits >= s.hits && now - since >= s.forMs;
    if (candidate === 'failure' && ready(this.#failSince, this.#failHits)) return this.#move('failure', now);
    // Bad long enough for WARNING although FAILURE is still pending (a value that climbed through both).
    if (current === 'okay' && ready(this.#badSince, this.#badHits)) return this.#move('warning', now);
    // Pending: still counting towards `for`/`hits`; a persisted current state repeats meanwhile.
    return this.#repeat(current, s);
  }

  #move(to: Severity, now: number): StepResult {
    const from = this.#severity;
    this.#severity = to;
    this.#since = now;
    return { kind: 'transition', from, to };
  }

  #repeat(current: Severity, s: DebounceSettings): StepResult {
    if (current === 'okay' ? s.persistOk : s.persist) return { kind: 'repeat', severity: current };
    return NONE;
  }

  /** True while a transition is building up (some bad samples, not yet acted on). */
  get pending(): boolean {
    return this.#badHits > 0 && RANK[this.#severity] < RANK[this.#failHits > 0 ? 'failure' : 'warning'];
  }
}
