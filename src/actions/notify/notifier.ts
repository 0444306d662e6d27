/**
 * Notification actions (log, webhook, exec hook, SNMP trap) with the same audit and counter as domain
 * actions. `notify` never throws: a failed delivery is audited as failed, counted, and logged, and the
 * caller goes on. Dry-run suppresses exec hooks (a hook may change anything, e.g. run `virsh`); log,
 * webhook and trap only inform and are still delivered, marked `dryRun`.
 */
import { hostname } from 'node:os';
import { toVirtmonError, type VirtmonError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/logger.ts';
import type { AuditEntry, AuditOutcome, AuditSink } from '../audit-log.ts';
import type { CountAction } from '../counter.ts';
import { ExecRunner } from './exec-hook.ts';
import { collectdStdin, execEnv, notificationJson } from './payload.ts';
import type { ExecTarget, Notification, NotifyContext, WebhookTarget } from './types.ts';
import { postWebhook, type Sleep } from './webhook.ts';

/** Sends a notification as an SNMP trap; the SNMP bridge implements it (exporters/snmp). */
export interface TrapSender {
  sendTrap(n: Notification): Promise<void>;
}

/** Where a notification goes. */
export type NotifyTarget =
  | { readonly kind: 'log' }
  | { readonly kind: 'trap' }
  | { readonly kind: 'webhook'; readonly target: WebhookTarget }
  | { readonly kind: 'exec'; readonly target: ExecTarget };

/** Delivers notifications. */
export interface Notifier {
  notify(target: NotifyTarget, n: Notification, ctx: NotifyContext): Promise<AuditOutcome>;
}

/** Inputs of {@link createNotifier}. */
export interface NotifierOptions {
  readonly audit: AuditSink;
  readonly count: CountAction;
  readonly logger: Logger;
  /** Absent: `trap` actions fail with a clear reason (no SNMP bridge configured). */
  readonly trap?: TrapSender;
  readonly exec?: ExecRunner;
  readonly hostname?: string;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
}

/** Builds the notifier. */
export function createNotifier(o: NotifierOptions): Notifier {
  const exec = o.exec ?? new ExecRunner();
  const host = o.hostname ?? hostname();
  const clock = o.clock ?? Date.now;

  const finish = async (t: NotifyTarget, n: Notification, ctx: NotifyContext, outcome: AuditOutcome,
    detail: Record<string, string | number | boolean>, err?: VirtmonError): Promise<AuditOutcome> => {
    o.count(n.domain.name, t.kind, outcome === 'done' ? 'success' : outcome === 'dry-run' ? 'dry_run' : outcome === 'refused' ? 'refused' : 'failed');
    const entry: AuditEntry = {
      time: new Date(clock()).toISOString(), source: ctx.source, actor: ctx.actor, action: t.kind,
      domain: n.domain.name, uuid: n.domain.uuid, outcome, reason: `${n.severity}: ${n.message}`, detail,
      ...(err === undefined ? {} : { code: err.code, error: err.message }),
    };
    if (outcome === 'failed' || outcome === 'refused') o.logger.warn({ ...entry }, `notification ${t.kind} ${outcome}`);
    await o.audit.append(entry).catch((e: unknown) => { o.logger.error({ err: String(e) }, 'audit log write failed'); });
    return outcome;
  };

  return {
    async notify(t, n, ctx) {
      try {
        switch (t.kind) {
          case 'log': {
            const level = n.severity === 'failure' ? 'error' : n.severity === 'warning' ? 'warn' : 'info';
            o.logger[level]({ rule: n.rule, domain: n.domain.name, severity: n.severity, value: n.value, dryRun: ctx.dryRun }, n.message);
            return await finish(t, n, ctx, 'done', {});
          }
          case 'trap': {
            if (o.trap === undefined) throw new Error('no SNMP trap sender is configured');
            await o.trap.sendTrap(n);
            return await finish(t, n, ctx, 'done', {});
          }
          case 'webhook': {
            const r = await postWebhook(t.target, notificationJson(n, ctx), o.sleep);
            return await finish(t, n, ctx, 'done', { target: t.target.name, url: t.target.url, status: r.status, attempts: r.attempts });
          }
          case 'exec': {
            const detail = { target: t.target.name, program: t.target.argv[0] ?? '' };
            if (ctx.dryRun) return await finish(t, n, ctx, 'dry-run', detail);
            const stdin = t.target.format === 'collectd' ? collectdStdin(n) : `${JSON.stringify(notificationJson(n, ctx))}\n`;
            const r = await exec.run(t.target, stdin, execEnv(n, host));
            const ok = r.code === 0 && !r.timedOut;
            if (r.stdout !== '' || r.stderr !== '') o.logger.info({ hook: t.target.name, stdout: r.stdout, stderr: r.stderr }, 'exec hook output');
            const d = { ...detail, timedOut: r.timedOut, ...(r.code === null ? {} : { exit: r.code }), ...(r.signal === null ? {} : { signal: r.signal }) };
            return await finish(t, n, ctx, ok ? 'done' : 'failed', d, ok ? undefined
              : toVirtmonError(new Error(r.timedOut ? `exec hook '${t.target.name}' timed out after ${t.target.timeoutMs} ms` : `exec hook '${t.target.name}' exited with ${r.code ?? r.signal}`)));
          }
        }
      } catch (e) {
        const err = toVirtmonError(e);
        const target = t.kind === 'webhook' || t.kind === 'exec' ? { target: t.target.name } : {};
        return finish(t, n, ctx, err.code === 'VIRTMON_ERR_ACTION_REFUSED' ? 'refused' : 'failed', target, err);
      }
    },
  };
}
