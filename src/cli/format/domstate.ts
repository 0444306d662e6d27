/** `virsh domstate [--reason]` output (tools/virsh-domain-monitor.c cmdDomstate). */
import { reasonToString, stateToString, type DomainStateCode } from '../../domain/states.ts';

/** `running`, or with the reason `paused (user)`; one line. A reason of -1 (unknown to the
 * driver) reads `unknown`, as virsh prints it. */
export function formatDomstate(state: DomainStateCode, reason: number, withReason: boolean): string {
  return withReason ? `${stateToString(state)} (${reasonToString(state, reason)})\n` : `${stateToString(state)}\n`;
}
