/** One JSON-ish HTTP request over a unix socket or to 127.0.0.1:PORT; resolves status and body text. */
import { request } from 'node:http';

/** Where and what to send. */
export interface HttpTarget {
  readonly socketPath?: string;
  readonly port?: number;
  readonly method?: string;
  readonly path: string;
  /** Sent as JSON. */
  readonly body?: object;
}

/** Sends the request; never rejects on an HTTP status, only on a transport error. */
export function httpRequest(target: HttpTarget): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = target.body === undefined ? undefined : JSON.stringify(target.body);
    const req = request({
      ...(target.socketPath === undefined ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath }),
      method: target.method ?? 'GET', path: target.path,
      headers: payload === undefined ? {} : { 'content-type': 'application/json' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
