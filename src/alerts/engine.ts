/**
 * The rule engine (collectd's threshold plugin, collectd.md §5): on every snapshot change it reads each
 * rule's series for each selected domain that has a new sample, classifies the value (thresholds,
 * hysteresis), debounces (`for`, `hits`), and reports a transition once through `onNotify`. Missing
 * data after a series was seen raises FAILURE when the rule is `interesting`; a domain that stopped
 * (inactive) or left the snapshot is forgotten, not missing. Evaluation is synchronous and cheap;
 * whatever a notification triggers runs elsewhere (dispatch.ts), so a slow hook never stalls sampling.
 */
import type { Notification, Severity } from '../actions/notify/types.ts';
import { SeriesPlanner } from '../catalog/expand.ts';
import { resolveCatalogOptions } from '../catalog/options.ts';
import type { SeriesPlan } from '../catalog/plan.ts';
import type { Logger } from '../domain/logger.ts';
import type { DomainSample } from '../domain/sample.ts';
import { isActiveState } from '../domain/states.ts';
import type { SnapshotEntry, SnapshotView } from '../snapshot/types.ts';
import { DebounceState } from './debounce.ts';
import { buildNotification, type Observation } from './message.ts';
import type { ResolvedRule, RuleSet } from './rules.ts';
import { classify, RANK } from './thresholds.ts';
import { readRuleInput, selects, type RateMemory } from './values.ts';

/** Called for every transition (and every repeat of a `persist` rule). Must not throw. */
export type NotifyListener = (n: Notification, rule: ResolvedRule) => void;

/** Inputs of {@link AlertEngine}. */
export interface AlertEngineOptions {
  readonly snapshot: SnapshotView;
  readonly rules: RuleSet;
  /** The collection interval (rates across gaps > 2 intervals are not computed). */
  readonly intervalMs: number;
  readonly onNotify: NotifyListener;
  readonly logger: Logger;
  readonly clock?: () => number;
}

/** The state of one rule on one domain, as `virtmon alerts` and the API show it. */
export interface RuleDomainState {
  readonly rule: string;
  readonly domain: string;
  readonly uuid: string;
  readonly severity: Severity;
  /** Epoch ms of the last transition (0: never left OK). */
  readonly since: number;
  readonly missing: boolean;
  readonly pending: boolean;
  readonly value?: number;
}

interface Tracked {
  readonly rule: ResolvedRule;
  readonly debounce: DebounceState;
  readonly rates: RateMemory;
  sample: DomainSample | undefined;
  name: string;
  lastSeenAt: number | undefined;
  missing: boolean;
  value: number | undefined;
}

/** Evaluates rules against a snapshot. */
export class AlertEngine {
  readonly #o: AlertEngineOptions;
  readonly #clock: () => number;
  readonly #planner = new SeriesPlanner(resolveCatalogOptions({}));
  /** `rule\0uuid` → state. */
  readonly #tracked = new Map<string, Tracked>();
  #unsubscribe: (() => void) | undefined;

  constructor(options: AlertEngineOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** Subscribes to the snapshot and evaluates what is there now. */
  start(): Promise<void> {
    this.#unsubscribe ??= this.#o.snapshot.subscribe(() => { this.evaluate(); });
    this.evaluate();
    return Promise.resolve();
  }

  /** Unsubscribes; states are kept for a later start. */
  stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    return Promise.resolve();
  }

  /** One evaluation pass over the snapshot (each domain's sample is looked at once). */
  evaluate(): void {
    const live = new Set<string>();
    for (const entry of this.#o.snapshot.entries()) {
      live.add(entry.sample.uuid);
      // One series plan per domain and pass, shared by every rule (built only when a rule needs it).
      let plan: SeriesPlan | undefined;
      const planOf = (): SeriesPlan => (plan ??= this.#planner.plan(entry.sample, entry.def));
      for (const rule of this.#o.rules.rules) {
        try {
          this.#evaluateOne(rule, entry, planOf);
        } catch (err) {
          this.#o.logger.error({ err: String(err), rule: rule.name, domain: entry.sample.name }, 'rule evaluation failed');
        }
      }
    }
    for (const key of this.#tracked.keys()) {
      if (!live.has(key.slice(key.indexOf('\u0000') + 1))) this.#tracked.delete(key);
    }
    this.#planner.retain(live);
  }

  #evaluateOne(rule: ResolvedRule, entry: SnapshotEntry, planOf: () => SeriesPlan): void {
    const { sample } = entry;
    const key = `${rule.name}\u0000${sample.uuid}`;
    if (!isActiveState(sample.state) || !selects(rule, entry)) {
      // Lifecycle-aware: a stopped domain is not missing; it starts from OK when it runs again.
      this.#tracked.delete(key);
      return;
    }
    let t = this.#tracked.get(key);
    if (t === undefined) {
      t = { rule, debounce: new DebounceState(), rates: new Map(), sample: undefined, name: sample.name, lastSeenAt: undefined, missing: false, value: undefined };
      this.#tracked.set(key, t);
    }
    if (t.sample === sample) return;
    t.sample = sample;
    t.name = sample.name;
    const input = readRuleInput(rule, entry, planOf(), t.rates, this.#o.intervalMs);
    let observation: Observation;
    if (!input.present) {
      if (t.lastSeenAt === undefined || !rule.interesting) return;
      t.missing = true;
      t.value = undefined;
      observation = { kind: 'missing', sinceMs: this.#clock() - t.lastSeenAt };
    } else {
      t.lastSeenAt = sample.time;
      const wasMissing = t.missing;
      t.missing = false;
      if (input.values.length === 0) return; // first sample of a rate: nothing to compare yet
      let worst: Observation | undefined;
      for (const v of input.values) {
        const c = classify(v.value, rule.thresholds, t.debounce.severity);
        if (worst === undefined || worst.kind !== 'value' || RANK[c.severity] > RANK[worst.severity]) {
          worst = { kind: 'value', value: v.value, labels: v.labels, wasMissing, ...c };
        }
      }
      if (worst === undefined) return;
      observation = worst;
      t.value = worst.kind === 'value' ? worst.value : undefined;
    }
    const candidate: Severity = observation.kind === 'missing' ? 'failure' : observation.severity;
    const step = t.debounce.step(candidate, sample.time, rule.debounce);
    if (step.kind === 'none') return;
    const n = buildNotification({
      rule, domain: { name: sample.name, uuid: sample.uuid }, observation, time: this.#clock(), intervalMs: this.#o.intervalMs,
      severity: step.kind === 'transition' ? step.to : step.severity,
      previous: step.kind === 'transition' ? step.from : step.severity,
      repeat: step.kind === 'repeat',
    });
    this.#o.onNotify(n, rule);
  }

  /** Current states of every rule on every selected active domain. */
  states(): RuleDomainState[] {
    const out: RuleDomainState[] = [];
    for (const t of this.#tracked.values()) {
      if (t.sample === undefined) continue;
      out.push({
        rule: t.rule.name, domain: t.name, uuid: t.sample.uuid, severity: t.debounce.severity, since: t.debounce.since,
        missing: t.missing, pending: t.debounce.pending, ...(t.value === undefined ? {} : { value: t.value }),
      });
    }
    return out.sort((a, b) => a.rule.localeCompare(b.rule) || a.domain.localeCompare(b.domain));
  }
}
