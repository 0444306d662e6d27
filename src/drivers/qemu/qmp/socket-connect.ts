/**
 * Connects to a QEMU monitor socket, retrying while it does not exist yet: QEMU creates and listens on
 * `-chardev socket,…,server=on,wait=off` shortly after spawn, so ENOENT and ECONNREFUSED are expected
 * for a moment. Any other error (EACCES, ENOTSOCK …) fails at once.
 */
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { VirtmonError } from '../../../domain/errors.ts';
import { qmpAborted } from './errors.ts';

/** Options of {@link connectUnixWithRetry}. */
export interface UnixConnectOptions {
  /** Give up after this long, ms. */
  readonly timeoutMs: number;
  /** Pause between attempts, ms. */
  readonly retryIntervalMs: number;
  readonly signal?: AbortSignal;
}

const RETRYABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

/** Resolves with a connected socket, or rejects with OPERATION_TIMEOUT, SYSTEM_ERROR or an abort error. */
export async function connectUnixWithRetry(path: string, options: UnixConnectOptions): Promise<Socket> {
  const deadline = performance.now() + options.timeoutMs;
  const what = `connecting to QEMU monitor ${path}`;
  for (;;) {
    if (options.signal?.aborted === true) throw qmpAborted(what, options.signal.reason);
    let err: NodeJS.ErrnoException;
    try {
      return await connectOnce(path, options.signal);
    } catch (e) {
      if (e instanceof VirtmonError) throw e;
      err = e as NodeJS.ErrnoException;
    }
    if (!RETRYABLE.has(err.code ?? '')) {
      throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `failed to connect to monitor socket ${path}: ${err.message}`, { cause: err });
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      throw new VirtmonError('VIR_ERR_OPERATION_TIMEOUT', `monitor socket ${path} did not accept a connection within ${options.timeoutMs} ms`, { cause: err });
    }
    await sleep(Math.min(options.retryIntervalMs, left), options.signal, what);
  }
}

function connectOnce(path: string, signal: AbortSignal | undefined): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = createConnection({ path });
    const cleanup = (): void => {
      socket.off('connect', onConnect);
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onConnect = (): void => {
      cleanup();
      resolve(socket);
    };
    const onError = (err: Error): void => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onAbort = (): void => {
      cleanup();
      socket.destroy();
      reject(qmpAborted(`connecting to QEMU monitor ${path}`, signal?.reason));
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(qmpAborted(what, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
