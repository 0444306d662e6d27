/**
 * The CLI's client config (libvirt.conf's role for virsh): a small YAML file with `uri_default`,
 * `uri_aliases` (a list of `NAME=URI`) and the credentials for agents over TCP (remote-credentials.ts).
 * Found at $VIRTMON_CLIENT_CONFIG, else /etc/virtmon/client.yaml for root, else
 * ${XDG_CONFIG_HOME:-~/.config}/virtmon/client.yaml. A missing file is an empty config; anything else
 * wrong is a VIRTMON_ERR_CONFIG naming file, line and key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { VirtmonError } from '../domain/errors.ts';
import { parseAliases } from '../drivers/uri.ts';

/** The validated client config. */
export interface ClientConfig {
  /** The file it came from (also when absent). */
  readonly file: string;
  readonly uriDefault?: string;
  readonly aliases: ReadonlyMap<string, string>;
  /** Credentials for agents reached over TCP (`token`, `token_file`, `tls_ca`, `tls_cert`, `tls_key`), with their lines. */
  readonly remote?: RemoteClientSettings;
}

/** The client config's remote settings: values as written, each with the line it is on. */
export type RemoteClientSettings = Readonly<Partial<Record<RemoteKey, { readonly value: string; readonly line: number }>>>;

/** Keys of the remote settings. */
export const REMOTE_KEYS = ['token', 'token_file', 'tls_ca', 'tls_cert', 'tls_key'] as const;
type RemoteKey = (typeof REMOTE_KEYS)[number];

/** Where the config is looked for. */
export interface ClientConfigLocation {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly uid: number;
  readonly homedir: string;
}

/** The path of the client config for this user and environment. */
export function clientConfigPath(loc: ClientConfigLocation): string {
  const explicit = loc.env.VIRTMON_CLIENT_CONFIG;
  if (explicit !== undefined && explicit !== '') return explicit;
  if (loc.uid === 0) return '/etc/virtmon/client.yaml';
  const xdg = loc.env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : join(loc.homedir, '.config');
  return join(base, 'virtmon', 'client.yaml');
}

/** Reads and validates the client config; a missing file yields an empty config. */
export function loadClientConfig(file: string): ClientConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, aliases: new Map() };
    throw new VirtmonError('VIRTMON_ERR_CONFIG', `cannot read ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  return parseClientConfig(text, file);
}

const KNOWN_KEYS = ['uri_default', 'uri_aliases', ...REMOTE_KEYS] as const;

/** Parses and validates config text; `file` names it in errors. */
export function parseClientConfig(text: string, file: string): ClientConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (node: unknown): number => {
    const range = (node as Node | null | undefined)?.range;
    return counter.linePos(Array.isArray(range) ? range[0] : 0).line;
  };
  const fail = (line: number, key: string, message: string): VirtmonError =>
    new VirtmonError('VIRTMON_ERR_CONFIG', `${file}:${line}: ${key === '' ? '' : `${key}: `}${message}`, {
      file, line, ...(key === '' ? {} : { key }),
    });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    throw fail(counter.linePos(syntax.pos[0]).line, '', syntax.message.split('\n')[0] ?? 'YAML syntax error');
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { file, aliases: new Map() };
  if (!isMap(root)) throw fail(lineAt(root), '', `the file must hold a mapping with the keys ${KNOWN_KEYS.join(', ')}`);

  let uriDefault: string | undefined;
  let aliases = new Map<string, string>();
  const remote: Partial<Record<RemoteKey, { value: string; line: number }>> = {};
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const line = lineAt(pair.key);
    const value = pair.value;
    if (key === 'uri_default') {
      if (!isScalar(value) || typeof value.value !== 'string') throw fail(lineAt(value ?? pair.key), key, 'must be a string (a connection URI)');
      uriDefault = value.value;
    } else if (key === 'uri_aliases') {
      if (!isSeq(value)) throw fail(lineAt(value ?? pair.key), key, 'must be a list of NAME=URI strings');
      const entries: string[] = [];
      for (const [index, item] of value.items.entries()) {
        if (!isScalar(item) || typeof item.value !== 'string') {
          throw fail(lineAt(item ?? value), `${key}.${index}`, 'must be a NAME=URI string');
        }
        try {
          parseAliases([item.value]);
        } catch (err) {
          throw fail(lineAt(item), `${key}.${index}`, err instanceof VirtmonError ? err.detail ?? err.message : String(err));
        }
        entries.push(item.value);
      }
      aliases = parseAliases(entries);
    } else if ((REMOTE_KEYS as readonly string[]).includes(key)) {
      if (!isScalar(value) || typeof value.value !== 'string' || value.value === '') {
        throw fail(lineAt(value ?? pair.key), key, key === 'token' ? 'must be a string (an API token)' : 'must be a string (a file path)');
      }
      remote[key as RemoteKey] = { value: value.value, line };
    } else {
      throw fail(line, key, `unknown key '${key}' (known keys: ${KNOWN_KEYS.join(', ')})`);
    }
  }
  return { file, aliases, ...(uriDefault === undefined ? {} : { uriDefault }), ...(Object.keys(remote).length === 0 ? {} : { remote }) };
}
