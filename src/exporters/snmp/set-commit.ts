/**
 * Commits a validated SET through the Actions service (source `snmp`): exactly one call per action, and
 * the refusal or failure mapped to the RFC error the manager sees (reference §4 "Other SET outcomes").
 */
import type { Actions } from '../../actions/types.ts';
import { VirtmonError, type ErrorCode } from '../../domain/errors.ts';
import type { Logger } from '../../domain/logger.ts';
import { ErrorStatus, type ErrorStatusCode } from './pdu.ts';
import type { SetAction } from './set-plan.ts';

/** noError, or the error-status for the varbind that carried the action. */
export interface CommitResult {
  readonly errorStatus: ErrorStatusCode;
  readonly errorIndex: number;
}

/** Maps an Actions rejection to an error-status. */
export function errorStatusFor(err: unknown): ErrorStatusCode {
  if (!(err instanceof VirtmonError)) return ErrorStatus.commitFailed;
  const code: ErrorCode = err.code;
  if (code === 'VIRTMON_ERR_RATE_LIMITED' || code === 'VIR_ERR_RESOURCE_BUSY') return ErrorStatus.resourceUnavailable;
  if (code === 'VIR_ERR_ACCESS_DENIED' || code === 'VIR_ERR_OPERATION_DENIED') return ErrorStatus.noAccess;
  if (code === 'VIRTMON_ERR_ACTION_REFUSED') {
    // Cooldowns and caps are "not now"; a protected domain or a forbidden action is "never for you".
    return /cooldown|cap|rate|busy|limit/i.test(err.detail ?? '') ? ErrorStatus.resourceUnavailable : ErrorStatus.noAccess;
  }
  return ErrorStatus.commitFailed;
}

/** Runs the action; `actor` is the community or user name for the audit log (never a secret). */
export async function commitSet(actions: Actions, act: SetAction, actor: string, logger: Logger): Promise<CommitResult> {
  const base = { domain: act.uuid, source: 'snmp' as const, actor, reason: 'SNMP SET' };
  try {
    await actions.perform({ ...base, action: act.action });
    if (act.action === 'start' && act.startPaused === true) await actions.perform({ ...base, action: 'suspend' });
    return { errorStatus: ErrorStatus.noError, errorIndex: 0 };
  } catch (err) {
    const errorStatus = errorStatusFor(err);
    logger.warn({ err, action: act.action, domain: act.name, errorStatus }, 'SNMP SET refused or failed');
    return { errorStatus, errorIndex: act.index };
  }
}
