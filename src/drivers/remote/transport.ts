/**
 * HTTP requests to an agent's control API over a unix socket or TCP (node:http, no pooling: a CLI
 * run makes a handful of calls). Connection failures read as libvirt's remote driver words them;
 * error replies come back as the agent's own VirtmonError (deserializeError), so the CLI prints
 * exactly what it prints in-process.
 */
import { request as plainRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { VirtmonError, deserializeError, type SerializedError } from '../../domain/errors.ts';

/** Where an agent listens. */
export type AgentTarget =
  | { readonly kind: 'unix'; readonly socketPath: string; readonly local: boolean }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly basePath: string; readonly tls?: boolean; readonly credentials?: AgentCredentials };

/** What a client presents to an agent over TCP: the API token and TLS trust / client certificate. */
export interface AgentCredentials {
  readonly token?: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** A decoded reply. */
export interface AgentReply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENOTSOCK: 'Socket operation on non-socket',
};

/** The error for a failed connect, in libvirt's words (virNetSocketNewConnectUNIX / TCP). */
export function connectError(target: AgentTarget, err: NodeJS.ErrnoException): VirtmonError {
  const reason = STRERROR[err.code ?? ''] ?? err.message;
  if (target.kind === 'unix') {
    const hint = target.local && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') ? " (is the agent running? start it with 'virtmon agent')" : '';
    return new VirtmonError('VIR_ERR_SYSTEM_ERROR', `Failed to connect socket to '${target.socketPath}': ${reason}${hint}`, { cause: err });
  }
  return new VirtmonError('VIR_ERR_SYSTEM_ERROR', `unable to connect to server at '${target.host}:${target.port}': ${reason}`, { cause: err });
}

/** Describes a target for messages. */
export function describeTarget(target: AgentTarget): string {
  return target.kind === 'unix' ? target.socketPath : `${target.host}:${target.port}`;
}

/** Request options for node:http / node:https: the token as a bearer header, TLS material for https. */
export function httpOptions(target: AgentTarget, method: string, path: string, headers: Record<string, string>): RequestOptions {
  if (target.kind === 'unix') return { socketPath: target.socketPath, method, path, headers };
  const c = target.credentials ?? {};
  return {
    host: target.host, port: target.port, method, path: `${target.basePath}${path}`,
    headers: c.token === undefined ? headers : { ...headers, authorization: `Bearer ${c.token}` },
    ...(target.tls === true ? { ...(c.ca === undefined ? {} : { ca: c.ca }), ...(c.cert === undefined ? {} : { cert: c.cert }), ...(c.key === undefined ? {} : { key: c.key }) } : {}),
  };
}

/** Starts a request over the target's transport (https for `+https` URIs). */
export function httpRequest(target: AgentTarget, options: RequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest {
  return target.kind === 'tcp' && target.tls === true ? tlsRequest(options, onResponse) : plainRequest(options, onResponse);
}

/** Sends one request; rejects with a VirtmonError for a failed connection. */
export function send(target: AgentTarget, method: string, path: string, body?: unknown): Promise<AgentReply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(target, httpOptions(target, method, path, headers), (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        text: Buffer.concat(chunks).toString('utf8'),
      }));
      res.on('error', (err) => reject(new VirtmonError('VIR_ERR_RPC', `connection to ${describeTarget(target)} broke: ${err.message}`, { cause: err })));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.syscall === 'connect' || err.code === 'ECONNREFUSED' ? connectError(target, err) : new VirtmonError('VIR_ERR_RPC', `request to ${describeTarget(target)} failed: ${err.message}`, { cause: err }));
    });
    req.end(payload);
  });
}

/** Turns an error reply into the agent's error; anything else unexpected into VIR_ERR_RPC. */
export function replyError(target: AgentTarget, reply: AgentReply): VirtmonError {
  try {
    const wire = JSON.parse(reply.text) as Partial<SerializedError>;
    if (typeof wire.code === 'string' && typeof wire.message === 'string') return deserializeError(wire as SerializedError);
  } catch {
    // not JSON: fall through
  }
  return new VirtmonError('VIR_ERR_RPC', `unexpected reply ${reply.status} from ${describeTarget(target)}: ${reply.text.slice(0, 200)}`);
}

/** Sends a request and decodes a JSON reply, or rejects with the agent's error. */
export async function call<T>(target: AgentTarget, method: string, path: string, body?: unknown): Promise<T> {
  const reply = await send(target, method, path, body);
  if (reply.status >= 400) throw replyError(target, reply);
  if (reply.contentType.startsWith('application/json')) {
    try {
      return JSON.parse(reply.text) as T;
    } catch (err) {
      throw new VirtmonError('VIR_ERR_RPC', `malformed reply from ${describeTarget(target)}`, { cause: err });
    }
  }
  return reply.text as T;
}
