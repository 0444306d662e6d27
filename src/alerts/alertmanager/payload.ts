/**
 * Alertmanager's webhook payload (version 4; prometheus/alertmanager notify/webhook), as a TypeBox
 * schema the route validates, and the mapping of one alert to an action request: label `domain`
 * names the domain, label or annotation `virtmon_action` the action, and `virtmon_resolve: reverse`
 * (label or annotation) asks for the reverse action when the alert resolves (resume after suspend).
 */
import { Type, type Static } from 'typebox';
import type { ActionRequest } from '../../actions/types.ts';
import { RULE_DOMAIN_ACTIONS } from '../rule-schema.ts';
import { REVERSE_ACTION, type RuleDomainAction } from '../rules.ts';

const StringMap = Type.Record(Type.String(), Type.String());

/** One alert of the payload. */
export const AmAlert = Type.Object({
  status: Type.Enum(['firing', 'resolved']),
  labels: StringMap,
  annotations: Type.Optional(StringMap),
  startsAt: Type.Optional(Type.String()),
  endsAt: Type.Optional(Type.String()),
  generatorURL: Type.Optional(Type.String()),
  fingerprint: Type.Optional(Type.String()),
});

/** The webhook body. */
export const AmPayload = Type.Object({
  version: Type.Literal('4'),
  status: Type.Enum(['firing', 'resolved']),
  receiver: Type.String(),
  groupKey: Type.Optional(Type.String()),
  truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
  groupLabels: Type.Optional(StringMap),
  commonLabels: Type.Optional(StringMap),
  commonAnnotations: Type.Optional(StringMap),
  externalURL: Type.Optional(Type.String()),
  alerts: Type.Array(AmAlert, { maxItems: 1000 }),
});

/** The validated body. */
export type AmPayloadBody = Static<typeof AmPayload>;
/** One validated alert. */
export type AmAlertBody = Static<typeof AmAlert>;

/** What to do with one alert: a request, or why it is skipped. */
export type AlertPlan =
  | { readonly kind: 'act'; readonly request: ActionRequest }
  | { readonly kind: 'skip'; readonly why: string };

const isRuleAction = (a: string): a is RuleDomainAction => (RULE_DOMAIN_ACTIONS as readonly string[]).includes(a);

/** Maps one alert to an action request (source `alertmanager`) or a reason to skip it. */
export function planAlert(alert: AmAlertBody, receiver: string): AlertPlan {
  const pick = (key: string): string | undefined => alert.labels[key] ?? alert.annotations?.[key];
  const domain = alert.labels.domain;
  if (domain === undefined || domain === '') return { kind: 'skip', why: 'no domain label' };
  const named = pick('virtmon_action');
  if (named === undefined) return { kind: 'skip', why: 'no virtmon_action label or annotation' };
  if (!isRuleAction(named)) return { kind: 'skip', why: `virtmon_action '${named}' is not one of ${RULE_DOMAIN_ACTIONS.join(', ')}` };
  let action: RuleDomainAction = named;
  if (alert.status === 'resolved') {
    if (pick('virtmon_resolve') !== 'reverse') return { kind: 'skip', why: 'resolved; the alert does not ask for virtmon_resolve: reverse' };
    const reverse = REVERSE_ACTION[named];
    if (reverse === undefined) return { kind: 'skip', why: `resolved; '${named}' has no reverse action` };
    action = reverse;
  }
  const alertname = alert.labels.alertname ?? 'alert';
  const summary = alert.annotations?.summary ?? alert.annotations?.description;
  return {
    kind: 'act',
    request: {
      action, domain, source: 'alertmanager', actor: `${receiver}/${alertname}`,
      reason: `${alertname} ${alert.status}${summary === undefined ? '' : `: ${summary}`}`,
    },
  };
}
