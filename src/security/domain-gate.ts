/**
 * Changing requests in flight per domain. A second destroy/start/… of a domain whose previous one is
 * still running gets 409 at once instead of queueing on the driver's job lock (and tying up a
 * connection for up to its timeout). The driver's lock stays the real guarantee: a domain named once
 * by name and once by UUID passes the gate and is serialised there; {@link mapBusyError} makes that
 * lock's timeout a 409 too.
 */
import { VirtmonError } from '../domain/errors.ts';

/** Gives a slot back; harmless to call twice. */
export type GateRelease = () => void;

/** Per-domain slots. */
export interface DomainGate {
  /** Takes a slot or throws VIR_ERR_RESOURCE_BUSY. */
  enter(domain: string): GateRelease;
  /** Slots in use for a domain. */
  inFlight(domain: string): number;
}

/** Builds a gate allowing `perDomain` changing requests at once per domain key. */
export function createDomainGate(perDomain: number): DomainGate {
  const counts = new Map<string, number>();
  return {
    enter(domain) {
      const n = counts.get(domain) ?? 0;
      if (n >= perDomain) {
        throw new VirtmonError('VIR_ERR_RESOURCE_BUSY', `domain '${domain}' is busy with another request; retry when it has finished`);
      }
      counts.set(domain, n + 1);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const left = (counts.get(domain) ?? 1) - 1;
        if (left <= 0) counts.delete(domain);
        else counts.set(domain, left);
      };
    },
    inFlight: (domain) => counts.get(domain) ?? 0,
  };
}

/**
 * The driver's job-lock timeout (`Timed out during operation: cannot acquire state change lock …`)
 * means "busy", which the API answers with 409 VIR_ERR_RESOURCE_BUSY; everything else passes through.
 */
export function mapBusyError(err: unknown): unknown {
  if (err instanceof VirtmonError && err.code === 'VIR_ERR_OPERATION_TIMEOUT' && (err.detail ?? '').startsWith('cannot acquire state change lock')) {
    return new VirtmonError('VIR_ERR_RESOURCE_BUSY', err.detail, { cause: err });
  }
  return err;
}
