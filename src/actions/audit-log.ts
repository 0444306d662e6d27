/**
 * The append-only audit log of actions (DESIGN.md reliability rules): one JSON object per line, the
 * file opened with O_APPEND and fsynced after every entry, entries written one at a time in the order
 * they were submitted. Every source is audited (api, cli, snmp, rule, alertmanager), every outcome too
 * (done, noop, dry-run, refused, rate_limited, failed). Secrets never reach it: the entry type has no
 * field for one, and free text is cut and has URL credentials and query strings removed.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { VirtmonError } from '../domain/errors.ts';

/** What became of a request. */
export type AuditOutcome = 'done' | 'noop' | 'dry-run' | 'refused' | 'rate_limited' | 'failed';

/** One audit line. */
export interface AuditEntry {
  /** ISO 8601 UTC time of the decision. */
  readonly time: string;
  readonly source: string;
  readonly actor?: string;
  /** Domain action (`suspend` …) or notification (`webhook`, `exec`, `trap`, `log`). */
  readonly action: string;
  /** The domain as asked for (name or UUID), and the resolved name/UUID when lookup succeeded. */
  readonly domain: string;
  readonly uuid?: string;
  readonly outcome: AuditOutcome;
  readonly reason?: string;
  /** Error code and message for refused/rate_limited/failed. */
  readonly code?: string;
  readonly error?: string;
  /** Extra facts (memoryKiB, exit status, HTTP status, target). Numbers, booleans and short strings only. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/** Where entries go (a file, or memory in tests). */
export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
  close(): Promise<void>;
}

const MAX_TEXT = 512;

/** Removes credentials from free text: `user:pass@` in URLs, query strings, `Bearer x` tokens. */
export function scrubText(text: string): string {
  const cleaned = text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1')
    .replace(/(https?:\/\/[^\s?#]*)\?[^\s#]*/gi, '$1?…')
    .replace(/\b(bearer|basic|token|password|secret)(\s*[:=]?\s*)\S+/gi, '$1$2…');
  return cleaned.length > MAX_TEXT ? `${cleaned.slice(0, MAX_TEXT)}…` : cleaned;
}

function scrubEntry(entry: AuditEntry): AuditEntry {
  const detail: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(entry.detail ?? {})) detail[k] = typeof v === 'string' ? scrubText(v) : v;
  return {
    ...entry,
    ...(entry.actor === undefined ? {} : { actor: scrubText(entry.actor) }),
    ...(entry.reason === undefined ? {} : { reason: scrubText(entry.reason) }),
    ...(entry.error === undefined ? {} : { error: scrubText(entry.error) }),
    ...(entry.detail === undefined ? {} : { detail }),
  };
}

/** An audit log file: append-only, one fsynced JSON line per entry. */
export class FileAuditLog implements AuditSink {
  readonly #path: string;
  #handle: Promise<FileHandle> | undefined;
  /** Entries are chained so lines never interleave and keep submission order. */
  #tail: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  /** The file path. */
  get path(): string {
    return this.#path;
  }

  #open(): Promise<FileHandle> {
    if (this.#handle !== undefined) return this.#handle;
    const h = mkdir(dirname(this.#path), { recursive: true, mode: 0o750 }).then(() => open(this.#path, 'a', 0o640));
    // A failed open is retried on the next entry instead of failing every later one.
    h.catch(() => { if (this.#handle === h) this.#handle = undefined; });
    this.#handle = h;
    return h;
  }

  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(scrubEntry(entry))}\n`;
    const run = this.#tail.then(async () => {
      const fh = await this.#open();
      await fh.appendFile(line, 'utf8');
      await fh.sync();
    });
    this.#tail = run.catch(() => undefined);
    return run.catch((err: unknown) => {
      throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `cannot write audit log ${this.#path}: ${(err as Error).message}`, { file: this.#path, cause: err });
    });
  }

  async close(): Promise<void> {
    await this.#tail;
    const h = this.#handle;
    this.#handle = undefined;
    if (h !== undefined) await (await h).close();
  }
}

/** An in-memory sink (tests, and the CLI's in-process test:/// use). */
export class MemoryAuditLog implements AuditSink {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): Promise<void> {
    this.entries.push(scrubEntry(entry));
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
