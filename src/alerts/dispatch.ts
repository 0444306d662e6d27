/**
 * Runs what a rule says for a notification, off the evaluation path: domain actions through `Actions`
 * (source `rule`, actor = rule name; the service applies dry-run, cooldown, cap, protection, audit),
 * then the notification actions in parallel. `resolve: reverse` undoes the domain actions of the state
 * being left when a rule returns to OK (resume after suspend). A repeat (`persist`) only notifies.
 * Pending work is tracked so the agent can wait for it on stop.
 */
import type { NotifyTarget, Notifier } from '../actions/notify/notifier.ts';
import type { Notification } from '../actions/notify/types.ts';
import type { Actions } from '../actions/types.ts';
import type { Logger } from '../domain/logger.ts';
import type { NotifyListener } from './engine.ts';
import { REVERSE_ACTION, type ResolvedRule, type RuleAction, type RuleDomainAction, type RuleSet } from './rules.ts';

/** Inputs of {@link createRuleDispatcher}. */
export interface RuleDispatcherOptions {
  readonly actions: Actions;
  readonly notifier: Notifier;
  readonly rules: RuleSet;
  readonly logger: Logger;
  /** The global dry-run (also enforced inside Actions; here it marks notifications). */
  readonly dryRun: boolean;
}

/** A dispatcher: the engine's listener plus a way to wait for work in flight. */
export interface RuleDispatcher {
  readonly listener: NotifyListener;
  /** Resolves when every action started so far has finished. */
  idle(): Promise<void>;
}

/** The domain actions to run for a notification. */
export function domainActionsFor(n: Notification, rule: ResolvedRule): RuleDomainAction[] {
  if (n.repeat === true) return [];
  const own = rule.actions[n.severity].flatMap((a) => (a.kind === 'domain' ? [a.action] : []));
  if (n.severity !== 'okay' || rule.resolve !== 'reverse' || n.previous === 'okay') return own;
  const reversed = rule.actions[n.previous].flatMap((a) => {
    const r = a.kind === 'domain' ? REVERSE_ACTION[a.action] : undefined;
    return r === undefined ? [] : [r];
  });
  return [...reversed, ...own];
}

/** Builds the dispatcher. */
export function createRuleDispatcher(o: RuleDispatcherOptions): RuleDispatcher {
  const inFlight = new Set<Promise<void>>();
  /** Per domain, the tail of its work: a domain's transitions run in order (suspend before its resume). */
  const tails = new Map<string, Promise<void>>();

  const target = (a: RuleAction): NotifyTarget | undefined => {
    switch (a.kind) {
      case 'domain': return undefined;
      case 'log': return { kind: 'log' };
      case 'trap': return { kind: 'trap' };
      case 'webhook': {
        const t = o.rules.webhooks.get(a.name);
        return t === undefined ? undefined : { kind: 'webhook', target: t };
      }
      case 'exec': {
        const t = o.rules.exec.get(a.name);
        return t === undefined ? undefined : { kind: 'exec', target: t };
      }
    }
  };

  const run = async (n: Notification, rule: ResolvedRule): Promise<void> => {
    for (const action of domainActionsFor(n, rule)) {
      try {
        await o.actions.perform({ action, domain: n.domain.uuid, source: 'rule', actor: rule.name, reason: n.message, dryRun: rule.dryRun });
      } catch (err) {
        // Refusals and driver errors are already audited and counted by the Actions service.
        o.logger.debug({ err: String(err), rule: rule.name, domain: n.domain.name, action }, 'rule action not done');
      }
    }
    const ctx = { source: 'rule' as const, actor: rule.name, dryRun: o.dryRun || rule.dryRun };
    const targets = rule.actions[n.severity].flatMap((a) => { const t = target(a); return t === undefined ? [] : [t]; });
    await Promise.all(targets.map((t) => o.notifier.notify(t, n, ctx)));
  };

  return {
    listener: (n, rule) => {
      const uuid = n.domain.uuid;
      const p = (tails.get(uuid) ?? Promise.resolve()).then(() => run(n, rule))
        .catch((err: unknown) => { o.logger.error({ err: String(err), rule: rule.name }, 'rule dispatch failed'); });
      tails.set(uuid, p);
      inFlight.add(p);
      void p.finally(() => {
        inFlight.delete(p);
        if (tails.get(uuid) === p) tails.delete(uuid);
      });
    },
    idle: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
