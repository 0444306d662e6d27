/**
 * The audit entry's `detail` for a request: the parameters that say what exactly was asked (memory
 * size, flags set, image path, vCPU count, autostart). XML bodies are left out (they can be large and
 * the resulting domain is named by the entry); the audit log scrubs free text before writing.
 */
import type { AuditEntry } from './audit-log.ts';
import type { ActionRequest } from './types.ts';

type Detail = Record<string, string | number | boolean>;

/** Copies the `true` flags of a flag object into `out`. */
function flagsInto(out: Detail, flags: object | undefined): void {
  for (const [k, v] of Object.entries(flags ?? {})) if (v === true) out[k] = true;
}

/** The audit detail of `req`, or undefined when it carries no parameter (plain actions, as before). */
export function auditDetail(req: ActionRequest): AuditEntry['detail'] {
  const out: Detail = {};
  if (req.memoryKiB !== undefined) out['memoryKiB'] = req.memoryKiB;
  if (req.vcpus !== undefined) out['vcpus'] = req.vcpus;
  if (req.path !== undefined) out['path'] = req.path;
  if (req.autostart !== undefined) out['autostart'] = req.autostart;
  if (req.graceful === true) out['graceful'] = true;
  if (req.managedSave === true) out['managedSave'] = true;
  flagsInto(out, req.startFlags);
  flagsInto(out, req.memoryFlags);
  flagsInto(out, req.saveFlags);
  flagsInto(out, req.affect);
  return Object.keys(out).length === 0 ? undefined : out;
}
