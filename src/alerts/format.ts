/**
 * Text tables of rules and rule states for `virtmon alerts` (and anything else that prints them):
 * plain data in, virsh-style table rows out, so the API can return the same data as JSON.
 */
import type { RuleDomainState } from './engine.ts';
import type { ResolvedRule, RuleAction, RuleSet } from './rules.ts';
import type { Bounds } from './thresholds.ts';

const bounds = (b: Bounds): string => {
  if (b.min === undefined && b.max === undefined) return '-';
  return `${b.min === undefined ? '' : `<${b.min}`}${b.min !== undefined && b.max !== undefined ? ' ' : ''}${b.max === undefined ? '' : `>${b.max}`}`;
};

const action = (a: RuleAction): string => {
  switch (a.kind) {
    case 'domain': return a.action;
    case 'log':
    case 'trap': return a.kind;
    case 'webhook':
    case 'exec': return `${a.kind}:${a.name}`;
  }
};

const actions = (r: ResolvedRule): string => {
  const parts = (['failure', 'warning', 'okay'] as const)
    .filter((s) => r.actions[s].length > 0)
    .map((s) => `${s}=${r.actions[s].map(action).join(',')}`);
  if (r.resolve === 'reverse') parts.push('resolve=reverse');
  return parts.length === 0 ? '-' : parts.join(' ');
};

/** The rules table: header and one row per rule. */
export function rulesTable(set: RuleSet): { header: string[]; rows: string[][] } {
  return {
    header: ['Rule', 'Metric', 'Warning', 'Failure', 'For', 'Hits', 'Actions'],
    rows: set.rules.map((r) => [
      r.name, `${r.metric.name}${r.rate ? ' (rate)' : ''}`, bounds(r.thresholds.warning), bounds(r.thresholds.failure),
      `${r.debounce.forMs / 1000}s`, String(r.debounce.hits), actions(r),
    ]),
  };
}

/** A state as the table needs it: the engine's, or the same fields as an agent's API returned them. */
export type StateRow = Omit<RuleDomainState, 'severity'> & { readonly severity: string };

/** The states table: header and one row per rule and domain. */
export function statesTable(states: readonly StateRow[], now: number): { header: string[]; rows: string[][] } {
  return {
    header: ['Rule', 'Domain', 'State', 'Since', 'Value'],
    rows: states.map((s) => [
      s.rule, s.domain,
      `${s.severity}${s.missing ? ' (missing)' : ''}${s.pending ? ' (pending)' : ''}`,
      s.since === 0 ? '-' : `${Math.max(0, Math.round((now - s.since) / 1000))}s ago`,
      s.value === undefined ? '-' : String(Number(s.value.toPrecision(6))),
    ]),
  };
}
