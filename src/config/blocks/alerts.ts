/** Alert rules, remediation safety and the Alertmanager receiver (issue 9; src/alerts, src/actions). */
import { Type, type Static } from 'typebox';
import { parseDuration } from '../duration.ts';
import { Block, Duration } from './common.ts';

/** The `alerts` block of virtmon.yaml. */
export const AlertsBlock = Block({
  rules: Type.Optional(Type.String({ description: 'alert rules file (YAML); none = no rules evaluated' })),
  dryRun: Type.Boolean({ default: false, description: 'actions are audited as dry-run and change nothing' }),
  cooldown: Duration('minimum time between two automated runs of one action on one domain', '5m'),
  maxActionsPerMinute: Type.Integer({ minimum: 0, default: 10, description: 'global cap on automated actions per minute; 0 = no cap' }),
  protected: Type.Array(Type.String(), {
    default: [], description: 'domain names, UUIDs or /regex/ that rules, Alertmanager and SNMP never touch',
  }),
  auditLog: Type.String({ default: '/var/lib/virtmon/audit.log', description: 'append-only JSON-lines audit log of every action' }),
  alertmanager: Block({
    enabled: Type.Boolean({ default: false, description: 'serve POST /v1/alertmanager on the HTTP listener' }),
    tokenFile: Type.Optional(Type.String({ description: 'file holding the bearer token Alertmanager sends (http_config.authorization)' })),
  }, 'the Alertmanager webhook receiver'),
}, 'alert rules and remediation actions');

/** The block as validated. */
export type RawAlerts = Static<typeof AlertsBlock>;

/** The block resolved. */
export interface ResolvedAlerts {
  readonly rulesFile?: string;
  readonly dryRun: boolean;
  readonly cooldownMs: number;
  readonly capPerMinute: number;
  readonly protected: readonly string[];
  readonly auditLog: string;
  readonly alertmanager: { readonly enabled: boolean; readonly tokenFile?: string };
}

/** Resolves the block; problems go to `problem` with their key path. */
export function resolveAlertsBlock(raw: RawAlerts, problem: (path: (string | number)[], message: string) => void): ResolvedAlerts {
  const cooldownMs = parseDuration(raw.cooldown);
  if (cooldownMs === undefined) problem(['alerts', 'cooldown'], `is not a duration (got ${JSON.stringify(raw.cooldown)})`);
  raw.protected.forEach((p, i) => {
    if (p.length > 2 && p.startsWith('/') && p.endsWith('/')) {
      try {
        new RegExp(p.slice(1, -1));
      } catch (err) {
        problem(['alerts', 'protected', i], `is not a valid regular expression: ${(err as Error).message}`);
      }
    }
  });
  if (raw.alertmanager.enabled && raw.alertmanager.tokenFile === undefined) {
    problem(['alerts', 'alertmanager', 'tokenFile'], 'is required when the receiver is enabled (it changes domains, so it needs a credential)');
  }
  return {
    ...(raw.rules === undefined ? {} : { rulesFile: raw.rules }),
    dryRun: raw.dryRun,
    cooldownMs: cooldownMs ?? 0,
    capPerMinute: raw.maxActionsPerMinute,
    protected: raw.protected,
    auditLog: raw.auditLog,
    alertmanager: {
      enabled: raw.alertmanager.enabled,
      ...(raw.alertmanager.tokenFile === undefined ? {} : { tokenFile: raw.alertmanager.tokenFile }),
    },
  };
}
