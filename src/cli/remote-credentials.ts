/**
 * Credentials the CLI presents to an agent over TCP (`qemu+https://host:port/system`): the API token
 * from $VIRTMON_TOKEN, else the client config's `token_file` (first line) or `token`; TLS trust and
 * client certificate from `tls_ca`, `tls_cert`, `tls_key` (PEM files). Problems name the client
 * config's file, line and key; the token itself never appears in a message.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, dirname } from 'node:path';
import { VirtmonError } from '../domain/errors.ts';
import type { ClientConfig } from './client-config.ts';

/** What the remote transport sends: `Authorization: Bearer <token>` and the TLS options. */
export interface RemoteCredentials {
  readonly token?: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** Reads a file (injectable for tests). */
export type ReadFile = (path: string) => Buffer;

/** Resolves the credentials; relative paths are relative to the client config's directory. */
export function remoteCredentials(env: Readonly<Record<string, string | undefined>>, config: ClientConfig,
  readFile: ReadFile = (p) => readFileSync(p)): RemoteCredentials {
  const remote = config.remote ?? {};
  const fail = (key: string, line: number, message: string, cause?: unknown): VirtmonError =>
    new VirtmonError('VIRTMON_ERR_CONFIG', `${config.file}:${line}: ${key}: ${message}`,
      { file: config.file, line, key, ...(cause === undefined ? {} : { cause }) });
  const read = (key: 'token_file' | 'tls_ca' | 'tls_cert' | 'tls_key'): Buffer | undefined => {
    const entry = remote[key];
    if (entry === undefined) return undefined;
    const path = isAbsolute(entry.value) ? entry.value : join(dirname(config.file), entry.value);
    try {
      return readFile(path);
    } catch (err) {
      throw fail(key, entry.line, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, err);
    }
  };
  const checkToken = (token: string, where: () => VirtmonError): string => {
    if (!/^[\x21-\x7e]{1,512}$/.test(token)) throw where();
    return token;
  };

  let token: string | undefined;
  const fromEnv = env.VIRTMON_TOKEN;
  if (fromEnv !== undefined && fromEnv !== '') {
    token = checkToken(fromEnv, () => new VirtmonError('VIR_ERR_INVALID_ARG', 'VIRTMON_TOKEN must be printable ASCII without spaces (at most 512 characters)'));
  } else if (remote.token_file !== undefined) {
    const line = remote.token_file.line;
    token = checkToken((read('token_file')?.toString('utf8').split(/\r?\n/)[0] ?? '').trim(),
      () => fail('token_file', line, 'the first line of the file must be the token (printable ASCII, no spaces)'));
  } else if (remote.token !== undefined) {
    const line = remote.token.line;
    token = checkToken(remote.token.value, () => fail('token', line, 'must be printable ASCII without spaces'));
  }
  const ca = read('tls_ca');
  const cert = read('tls_cert');
  const key = read('tls_key');
  if ((cert === undefined) !== (key === undefined)) {
    const given = remote.tls_cert ?? remote.tls_key;
    throw fail(key === undefined ? 'tls_key' : 'tls_cert', given?.line ?? 1, 'tls_cert and tls_key go together (a client certificate and its key)');
  }
  return { ...(token === undefined ? {} : { token }), ...(ca === undefined ? {} : { ca }), ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
}
