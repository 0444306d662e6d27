/**
 * The values a rule compares, read from a snapshot entry through the metric catalog (the same series
 * plan the exporters use, so a rule sees exactly what /metrics shows). Counters are compared as
 * per-second rates from two consecutive samples with the measured Δt; there is no rate across a reset
 * (a decrease) or across a gap longer than 2 intervals (collectd.md §5).
 */
import { readValue } from '../catalog/expand.ts';
import type { SeriesPlan } from '../catalog/plan.ts';
import { metadataValue } from '../domain/metadata.ts';
import type { SnapshotEntry } from '../snapshot/types.ts';
import type { ResolvedRule } from './rules.ts';

/** A counter's last raw value per series, for rates. */
export type RateMemory = Map<string, { readonly value: number; readonly time: number }>;

/** What one sample gives a rule on one domain. */
export interface RuleInput {
  /** At least one matching series is present in the sample (even when no rate can be computed yet). */
  readonly present: boolean;
  /** Comparable values with their non-domain labels. */
  readonly values: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

/** True when the rule's domain selector takes this domain. */
export function selects(rule: ResolvedRule, entry: SnapshotEntry): boolean {
  const { name } = entry.sample;
  const d = rule.domains;
  if (d.name !== undefined && !d.name.test(name)) return false;
  if (d.exclude?.test(name) === true) return false;
  for (const m of d.metadata) {
    if (!m.match.test(metadataValue(entry.def, m.label.namespace, m.label.path) ?? '')) return false;
  }
  return true;
}

/** Reads the rule's series from the entry's series plan; `memory` keeps the previous counter values between calls. */
export function readRuleInput(rule: ResolvedRule, entry: SnapshotEntry, plan: SeriesPlan, memory: RateMemory, intervalMs: number): RuleInput {
  const { sample } = entry;
  const family = plan.options.domainFamilies.indexOf(rule.metric);
  if (family < 0) return { present: false, values: [] };
  const from = plan.familyStart[family] ?? 0;
  const to = plan.familyStart[family + 1] ?? from;
  const values: { labels: Record<string, string>; value: number }[] = [];
  let present = false;
  for (let i = from; i < to; i++) {
    const slot = plan.slots[i];
    if (slot === undefined) continue;
    if (!rule.labels.every((m) => m.test(slot.labelValues[m.index] ?? ''))) continue;
    const v = readValue(plan, slot, sample);
    if (v === undefined) continue;
    present = true;
    const labels: Record<string, string> = {};
    slot.metric.labelNames.forEach((l, j) => { if (l !== 'domain') labels[l] = slot.labelValues[j] ?? ''; });
    if (!rule.rate) {
      values.push({ labels, value: v });
      continue;
    }
    const key = slot.labelValues.join('\u0000');
    const prev = memory.get(key);
    memory.set(key, { value: v, time: sample.time });
    if (prev === undefined) continue;
    const dt = (sample.time - prev.time) / 1000;
    // No rate across a reset, a repeated sample, or a gap longer than 2 intervals.
    if (v < prev.value || dt <= 0 || dt * 1000 > 2 * intervalMs) continue;
    values.push({ labels, value: (v - prev.value) / dt });
  }
  return { present, values };
}
