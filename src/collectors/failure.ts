/**
 * Classifies what a source threw into a {@link FailureKind}, so the runner can count errors by kind
 * and a deadline is told apart from a QMP error reply or a closed monitor.
 */
import { VirtmonError } from '../domain/errors.ts';
import type { FailureKind } from './types.ts';

/** The kind of a failure thrown by a QMP call or a file read. */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof VirtmonError) {
    const code: string = error.code;
    if (code === 'VIR_ERR_OPERATION_TIMEOUT' || code === 'VIR_ERR_OPERATION_ABORTED') return 'timeout';
    if (code === 'VIRTMON_ERR_QMP_INTERRUPTED' || code === 'VIRTMON_ERR_QMP_PROTOCOL') return 'monitor_closed';
    if (code === 'VIR_ERR_SYSTEM_ERROR') return 'file';
    if (code === 'VIR_ERR_INTERNAL_ERROR') return error.qmpClass === undefined ? 'internal' : 'qmp';
    return 'qmp';
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  return 'internal';
}

/** A short text for logs. */
export function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
