/**
 * TLS for the TCP listener from the `remote.tls` block: the server's certificate and key, and with
 * `clientCa` mutual TLS (requestCert + rejectUnauthorized: a client without a certificate signed by
 * that CA never completes the handshake, before any HTTP is parsed). TLS 1.2 is the floor.
 */
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import type { ResolvedRemote } from '../config/blocks/auth.ts';
import { VirtmonError } from '../domain/errors.ts';

/** Reads a file named by a config key; a failure names both. */
type ReadFile = (path: string) => Buffer;

/** https server options for fastify's `https` option, or undefined when TLS is not configured. */
export function tlsServerOptions(tls: ResolvedRemote['tls'], readFile: ReadFile = (p) => readFileSync(p)): ServerOptions | undefined {
  if (tls === undefined) return undefined;
  const read = (key: 'cert' | 'key' | 'clientCa', path: string): Buffer => {
    try {
      const data = readFile(path);
      if (!data.toString('latin1').includes('-----BEGIN ')) throw new Error('not a PEM file');
      return data;
    } catch (err) {
      throw new VirtmonError('VIRTMON_ERR_CONFIG', `remote.tls.${key}: cannot use ${path}: ${(err as Error).message}`,
        { key: `remote.tls.${key}`, file: path, cause: err });
    }
  };
  const options: ServerOptions = { cert: read('cert', tls.cert), key: read('key', tls.key), minVersion: 'TLSv1.2' };
  if (tls.clientCa !== undefined) {
    options.ca = read('clientCa', tls.clientCa);
    options.requestCert = true;
    options.rejectUnauthorized = true;
  }
  return options;
}

/** The verified client certificate's subject CN (mTLS), for logs and audit; undefined without one. */
export function clientCertName(socket: unknown): string | undefined {
  const s = socket as { getPeerCertificate?: () => { subject?: { CN?: string } } | undefined; authorized?: boolean };
  if (typeof s.getPeerCertificate !== 'function' || s.authorized !== true) return undefined;
  const cn = s.getPeerCertificate()?.subject?.CN;
  return typeof cn === 'string' && cn !== '' ? cn : undefined;
}
