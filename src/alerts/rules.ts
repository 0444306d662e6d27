/** Resolved alert rules: what the engine evaluates (rules-resolve.ts builds them from the file). */
import type { MetricDef } from '../catalog/types.ts';
import type { ResolvedMetadataLabel } from '../catalog/metadata-labels.ts';
import type { ExecTarget, Severity, WebhookTarget } from '../actions/notify/types.ts';
import type { DebounceSettings } from './debounce.ts';
import type { Thresholds } from './thresholds.ts';
import type { RULE_DOMAIN_ACTIONS } from './rule-schema.ts';

/** A domain action a rule may take. */
export type RuleDomainAction = (typeof RULE_DOMAIN_ACTIONS)[number];

/** One step of a rule's action list. */
export type RuleAction =
  | { readonly kind: 'domain'; readonly action: RuleDomainAction }
  | { readonly kind: 'log' }
  | { readonly kind: 'trap' }
  | { readonly kind: 'webhook'; readonly name: string }
  | { readonly kind: 'exec'; readonly name: string };

/** Which domains a rule looks at. */
export interface DomainSelector {
  readonly name?: RegExp;
  readonly exclude?: RegExp;
  readonly metadata: readonly { readonly label: ResolvedMetadataLabel; readonly match: RegExp }[];
}

/** A label matcher: exact value or regex. */
export type LabelMatcher = { readonly label: string; readonly index: number; readonly test: (value: string) => boolean };

/** One resolved rule. */
export interface ResolvedRule {
  readonly name: string;
  readonly metric: MetricDef;
  /** Compare per-second rates (counters by default). */
  readonly rate: boolean;
  readonly labels: readonly LabelMatcher[];
  readonly domains: DomainSelector;
  readonly thresholds: Thresholds;
  readonly debounce: DebounceSettings;
  readonly interesting: boolean;
  readonly dryRun: boolean;
  readonly resolve: 'none' | 'reverse';
  readonly actions: Readonly<Record<Severity, readonly RuleAction[]>>;
  /** 1-based line of the rule in its file. */
  readonly line?: number;
}

/** A whole rules file, resolved. */
export interface RuleSet {
  readonly file: string;
  readonly rules: readonly ResolvedRule[];
  readonly webhooks: ReadonlyMap<string, WebhookTarget>;
  readonly exec: ReadonlyMap<string, ExecTarget>;
}

/** The reverse of a domain action, for `resolve: reverse` and resolved Alertmanager alerts. */
export const REVERSE_ACTION: Readonly<Partial<Record<RuleDomainAction, RuleDomainAction>>> = { suspend: 'resume' };
