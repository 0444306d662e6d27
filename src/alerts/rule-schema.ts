/**
 * The alert rules file (YAML), as a TypeBox schema validated with ajv like src/config: every object
 * rejects unknown keys, defaults live here. Semantics (metric in the catalog, regexes, bounds, names of
 * hooks) are checked afterwards by rules-resolve.ts.
 */
import { Type, type Static } from 'typebox';
import { Block, Duration, Strict } from '../config/blocks/common.ts';

/** Domain actions a rule may take (start and set-memory are operator actions, not remediation). */
export const RULE_DOMAIN_ACTIONS = ['suspend', 'resume', 'shutdown', 'reboot', 'reset', 'destroy'] as const;

const Bounds = Strict({
  min: Type.Optional(Type.Number({ description: 'below this value the severity applies' })),
  max: Type.Optional(Type.Number({ description: 'above this value the severity applies' })),
}, 'threshold bounds');

const ActionItem = Type.Union([
  Type.Enum([...RULE_DOMAIN_ACTIONS, 'log', 'trap'], { description: 'a domain action, log or trap' }),
  Strict({ webhook: Type.String({ description: 'name of a webhook under webhooks:' }) }, 'a webhook'),
  Strict({ exec: Type.String({ description: 'name of a hook under exec:' }) }, 'an exec hook'),
], { description: 'suspend, resume, shutdown, reboot, reset, destroy, log, trap, {webhook: NAME} or {exec: NAME}' });

const ActionList = Type.Array(ActionItem, { default: [] });

const Rule = Strict({
  name: Type.String({ pattern: '^[A-Za-z0-9_.:-]+$', description: 'rule name: letters, digits, _ . : -' }),
  metric: Type.String({ description: 'a per-domain metric of the catalog (docs/metrics.md)' }),
  rate: Type.Optional(Type.Boolean({ description: 'compare the per-second rate; default: true for counters' })),
  labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'label matchers: exact value or /regex/' })),
  domains: Type.Optional(Strict({
    name: Type.Optional(Type.String({ description: 'regex the domain name must match' })),
    exclude: Type.Optional(Type.String({ description: 'regex of domain names to leave out' })),
    metadata: Type.Optional(Type.Array(Strict({
      namespace: Type.String({ description: 'XML namespace URI of the metadata element' }),
      xpath: Type.String({ description: 'element path under <metadata>, optional @attr at the end' }),
      match: Type.String({ description: 'regex the value must match' }),
    }, 'a metadata matcher'))),
  }, 'domain selector')),
  warning: Type.Optional(Bounds),
  failure: Type.Optional(Bounds),
  invert: Type.Boolean({ default: false, description: 'alert when inside the bounds' }),
  hysteresis: Type.Number({ minimum: 0, default: 0, description: 'bounds move inward by this much while in that state' }),
  for: Duration('how long the condition must hold before the state changes', '0s'),
  hits: Type.Integer({ minimum: 1, default: 1, description: 'consecutive out-of-range samples needed (1 = at once)' }),
  interesting: Type.Boolean({ default: true, description: 'missing data raises FAILURE (collectd Interesting)' }),
  persist: Type.Boolean({ default: false, description: 'notify on every out-of-range sample, not only on change' }),
  persistOk: Type.Boolean({ default: false, description: 'notify on every OK sample too' }),
  dryRun: Type.Boolean({ default: false, description: 'this rule\'s domain actions are only audited' }),
  resolve: Type.Enum(['none', 'reverse'], { default: 'none', description: 'reverse: on OK, undo the domain actions (suspend → resume)' }),
  actions: Block({
    failure: ActionList,
    warning: ActionList,
    okay: ActionList,
  }, 'actions per severity'),
}, 'one alert rule');

const Webhook = Strict({
  url: Type.String({ pattern: '^https?://', description: 'http(s) URL the notification is POSTed to' }),
  timeout: Duration('per attempt', '5s'),
  retries: Type.Integer({ minimum: 0, maximum: 10, default: 2, description: 'retries after the first attempt, with backoff' }),
  headers: Type.Record(Type.String(), Type.String(), { default: {}, description: 'extra request headers (never logged)' }),
}, 'a webhook target');

const ExecHook = Strict({
  argv: Type.Array(Type.String(), { minItems: 1, description: 'program and arguments; never run through a shell' }),
  timeout: Duration('SIGTERM after this, SIGKILL 2s later', '30s'),
  user: Type.Optional(Type.Integer({ minimum: 0, description: 'uid to run as (needs root)' })),
  group: Type.Optional(Type.Integer({ minimum: 0, description: 'gid to run as (needs root)' })),
  allowRoot: Type.Boolean({ default: false, description: 'allow running as root (collectd refuses)' }),
  format: Type.Enum(['json', 'collectd'], { default: 'json', description: 'stdin: JSON, or collectd NotificationExec text' }),
}, 'an exec hook');

/** The rules file. */
export const RulesFileSchema = Strict({
  rules: Type.Array(Rule, { default: [] }),
  webhooks: Type.Record(Type.String(), Webhook, { default: {} }),
  exec: Type.Record(Type.String(), ExecHook, { default: {} }),
}, 'alert rules file');

/** The file as validated. */
export type RawRulesFile = Static<typeof RulesFileSchema>;
/** One rule as validated. */
export type RawRule = RawRulesFile['rules'][number];
