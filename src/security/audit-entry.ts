/**
 * Turns an API audit record into the shape of the Actions audit log's entries (src/actions/audit-log.ts
 * `AuditEntry`), so the agent can append API requests to the same append-only file. Declared here
 * structurally because src/security does not import src/actions.
 */
import type { ApiAuditRecord } from './audit-plugin.ts';

/** The fields of the Actions `AuditEntry` this produces. */
export interface ApiAuditLine {
  readonly time: string;
  readonly source: 'api';
  readonly actor?: string;
  readonly action: string;
  readonly domain: string;
  readonly outcome: 'done' | 'refused' | 'rate_limited' | 'failed';
  readonly code?: string;
  readonly detail: Readonly<Record<string, string | number | boolean>>;
}

/** 2xx done, 429 rate_limited, 401/403/404/409 and other 4xx refused, anything else failed. */
export function outcomeOf(status: number): ApiAuditLine['outcome'] {
  if (status >= 200 && status < 300) return 'done';
  if (status === 429) return 'rate_limited';
  return status >= 400 && status < 500 ? 'refused' : 'failed';
}

/** The audit line of one API request: action `http METHOD ROUTE`, domain from the route parameters. */
export function apiAuditLine(record: ApiAuditRecord): ApiAuditLine {
  const p = record.params;
  return {
    time: record.time,
    source: 'api',
    ...(record.actor === null ? {} : { actor: record.actor }),
    action: `http ${record.method} ${record.route}`,
    domain: p.dom ?? p.domain ?? p.name ?? p.uuid ?? p.id ?? '',
    outcome: outcomeOf(record.status),
    ...(record.code === undefined ? {} : { code: record.code }),
    detail: { status: record.status, client: record.client, durationMs: record.durationMs, ...(record.role === null ? {} : { role: record.role }) },
  };
}
