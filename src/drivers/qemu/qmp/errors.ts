/**
 * The errors a QMP call ends with, in libvirt's wording where libvirt has one
 * (qemuMonitorJSONCheckErrorFull: `unable to execute QEMU command 'CMD': DESC`).
 */
import { VirtmonError } from '../../../domain/errors.ts';

/** A QMP error reply: INTERNAL_ERROR with the QMP class kept in `qmpClass`. */
export function qmpCommandError(command: string, errorClass: string, desc: string): VirtmonError {
  return new VirtmonError('VIR_ERR_INTERNAL_ERROR', `unable to execute QEMU command '${command}': ${desc}`, { qmpClass: errorClass });
}

/** The reply did not come within the command's deadline. */
export function qmpTimeout(command: string, timeoutMs: number, cause?: unknown): VirtmonError {
  return new VirtmonError(
    'VIR_ERR_OPERATION_TIMEOUT',
    `QEMU command '${command}' got no reply within ${timeoutMs} ms`,
    cause === undefined ? {} : { cause },
  );
}

/** No matching event came within the wait's deadline. */
export function qmpEventTimeout(event: string, timeoutMs: number): VirtmonError {
  return new VirtmonError('VIR_ERR_OPERATION_TIMEOUT', `no QEMU event ${event} within ${timeoutMs} ms`);
}

/** The monitor connection is gone (EOF, reset, closed by us) while the call was pending. */
export function qmpInterrupted(detail: string, cause?: unknown): VirtmonError {
  return new VirtmonError('VIRTMON_ERR_QMP_INTERRUPTED', detail, cause === undefined ? {} : { cause });
}

/** The caller's AbortSignal fired. A timeout signal (`AbortSignal.timeout`) maps to OPERATION_TIMEOUT,
 * a VirtmonError reason passes through, anything else is OPERATION_ABORTED. */
export function qmpAborted(what: string, reason: unknown): VirtmonError {
  if (reason instanceof VirtmonError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new VirtmonError('VIR_ERR_OPERATION_TIMEOUT', `${what}: deadline of the caller passed`, { cause: reason });
  }
  return new VirtmonError('VIR_ERR_OPERATION_ABORTED', what, reason === undefined ? {} : { cause: reason });
}
