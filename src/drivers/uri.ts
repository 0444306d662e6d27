/**
 * Connection URIs in libvirt's grammar (libvirt-semantics.md §12):
 * `driver[+transport]://[user@][host][:port]/[path][?param=value&…]`, plus `uri_aliases` and the
 * default-URI chain (`-c` → VIRTMON_DEFAULT_URI → config `uri_default` → `test:///default`).
 */
import { VirtmonError } from '../domain/errors.ts';

/** A parsed connection URI. */
export interface ParsedUri {
  /** The URI as given (after alias expansion). */
  readonly raw: string;
  /** `qemu` in `qemu+unix:///system`. */
  readonly driver: string;
  /** `unix` in `qemu+unix:///system`; undefined when none was given. */
  readonly transport?: string;
  readonly user?: string;
  /** Empty for local URIs. */
  readonly host: string;
  readonly port?: number;
  /** `/system`, `/default`, `/abs/path/node.xml`. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The URI used when nothing else names one. */
export const FALLBACK_URI = 'test:///default';

const SCHEME = /^([a-z][a-z0-9-]*)(?:\+([a-z][a-z0-9-]*))?:\/\/(.*)$/i;
const ALIAS_NAME = /^[A-Za-z0-9_-]+$/;

/** Parses a URI; throws VIR_ERR_INVALID_ARG naming what is wrong. */
export function parseUri(raw: string): ParsedUri {
  const m = SCHEME.exec(raw.trim());
  if (!m) throw new VirtmonError('VIR_ERR_INVALID_ARG', `could not parse connection URI '${raw}'`);
  const [, driver = '', transport, rest = ''] = m;
  // Reuse WHATWG URL parsing for authority, path and query by swapping in a neutral scheme.
  let url: URL;
  try {
    url = new URL(`virtmon://${rest}`);
  } catch {
    throw new VirtmonError('VIR_ERR_INVALID_ARG', `could not parse connection URI '${raw}'`);
  }
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const parsed: { -readonly [K in keyof ParsedUri]: ParsedUri[K] } = {
    raw: raw.trim(),
    driver: driver.toLowerCase(),
    host: url.hostname,
    path: decodeURIComponent(url.pathname),
    params,
  };
  if (transport !== undefined) parsed.transport = transport.toLowerCase();
  if (url.username !== '') parsed.user = decodeURIComponent(url.username);
  if (url.port !== '') parsed.port = Number(url.port);
  return parsed;
}

/** Checks alias entries `name=uri` and returns them as a map; throws naming the bad entry. */
export function parseAliases(entries: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? '' : entry.slice(0, eq);
    if (eq < 0 || !ALIAS_NAME.test(name)) {
      throw new VirtmonError(
        'VIR_ERR_INVALID_ARG',
        `malformed uri_aliases entry '${entry}': expected NAME=URI, NAME made of A-Za-z0-9_-`,
      );
    }
    out.set(name, entry.slice(eq + 1));
  }
  return out;
}

/** Expands an alias (a bare name without `://`) to its URI; anything else passes through. */
export function expandAlias(nameOrUri: string, aliases: ReadonlyMap<string, string>): string {
  if (nameOrUri.includes('://')) return nameOrUri;
  const target = aliases.get(nameOrUri);
  if (target === undefined) {
    throw new VirtmonError('VIR_ERR_NO_CONNECT', nameOrUri);
  }
  return target;
}

/** Sources of the default URI, highest priority first. */
export interface DefaultUriSources {
  readonly flag?: string | undefined;
  readonly env?: string | undefined;
  readonly configDefault?: string | undefined;
}

/** Resolves which URI to open, libvirt's way: flag, then environment, then config, then the fallback. */
export function resolveUri(sources: DefaultUriSources, aliases: ReadonlyMap<string, string>): ParsedUri {
  const chosen = [sources.flag, sources.env, sources.configDefault].find((s) => s !== undefined && s !== '');
  return parseUri(expandAlias(chosen ?? FALLBACK_URI, aliases));
}

/** Formats a parsed URI back to its canonical string (used by `virtmon uri`). */
export function formatUri(uri: ParsedUri): string {
  const scheme = uri.transport === undefined ? uri.driver : `${uri.driver}+${uri.transport}`;
  const user = uri.user === undefined ? '' : `${encodeURIComponent(uri.user)}@`;
  const port = uri.port === undefined ? '' : `:${uri.port}`;
  const query = new URLSearchParams(uri.params).toString();
  return `${scheme}://${user}${uri.host}${port}${uri.path}${query === '' ? '' : `?${query}`}`;
}
