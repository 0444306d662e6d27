/**
 * `http.tls` → the `https` options of the agent's fastify server. The files are read once at start; a
 * missing or unreadable file is a VIRTMON_ERR_CONFIG error naming the key and the path.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { VirtmonError } from '../../domain/errors.ts';

/** `http.tls` as configured. */
export interface HttpTlsConfig {
  readonly cert: string;
  readonly key: string;
}

/** What fastify's `https` option takes. */
export interface HttpsServerOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
}

function readPem(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new VirtmonError('VIRTMON_ERR_CONFIG', `${key}: cannot read ${path}: ${(err as Error).message}`, { key, cause: err });
  }
}

/** Reads and checks the certificate and key; undefined when TLS is not configured. */
export function httpsOptions(tls: HttpTlsConfig | undefined, key = 'http.tls'): HttpsServerOptions | undefined {
  if (tls === undefined) return undefined;
  const cert = readPem(tls.cert, `${key}.cert`);
  const pkey = readPem(tls.key, `${key}.key`);
  try {
    // Fails now, with the key named, rather than at listen() with a bare OpenSSL message.
    createSecureContext({ cert, key: pkey });
  } catch (err) {
    throw new VirtmonError('VIRTMON_ERR_CONFIG', `${key}: certificate and key do not form a usable pair: ${(err as Error).message}`, { key, cause: err });
  }
  return { cert, key: pkey };
}
