/**
 * A QMP client: a small state machine over a unix socket (new → connecting → negotiating → ready →
 * closed) that correlates replies by id (`virtmon-N`), so many commands can be in flight. After qemu's
 * python `qmp_client.py` and vscode-jsonrpc: a pending map of id → {resolve, reject, timer}, a deadline
 * per command, events to typed subscribers, unknown ids logged and dropped, and on close every pending
 * call rejected with VIRTMON_ERR_QMP_INTERRUPTED. Every promise it creates is either returned to the
 * caller or settled internally, so it never leaves a rejection unhandled.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { VirtmonError, operationInvalid } from '../../../domain/errors.ts';
import { silentLogger, type Logger } from '../../../domain/logger.ts';
import type { QmpObserver, QmpOutcome } from '../../../domain/qmp-observer.ts';
import type { QmpCommandOptions, QmpExecutor } from '../../../domain/stats-target.ts';
import { qmpAborted, qmpCommandError, qmpInterrupted } from './errors.ts';
import { QmpEventHub, type QmpEventListener, type Unsubscribe, type WaitForEventOptions } from './events.ts';
import { QMP_MAX_MESSAGE_BYTES, QmpLineSplitter, decodeMessage } from './framing.ts';
import { QmpPendingCalls } from './pending.ts';
import { connectUnixWithRetry } from './socket-connect.ts';
import type { QmpCommandResults, QmpEvent, QmpGreeting, QmpMessage, QmpTypedCommand } from './types.ts';

/** Connection state; `closed` is final. */
export type QmpConnectionState = 'new' | 'connecting' | 'negotiating' | 'ready' | 'closed';

/** What the client logs with: the part of the rooms' {@link Logger} it uses (a pino child fits). */
export type QmpLogger = Pick<Logger, 'debug' | 'warn'>;

/** Options of {@link QmpClient}. */
export interface QmpClientOptions {
  /** Monitor socket path (`-chardev socket,path=…,server=on,wait=off`). */
  readonly path: string;
  /** Default deadline of a command, ms (10 s). */
  readonly commandTimeoutMs?: number;
  /** Deadline for the socket to appear, the greeting and `qmp_capabilities` together, ms (10 s). */
  readonly connectTimeoutMs?: number;
  /** Pause between connection attempts while the socket is missing, ms (50). */
  readonly retryIntervalMs?: number;
  /** Largest accepted message, bytes (10 MiB). */
  readonly maxMessageBytes?: number;
  readonly logger?: QmpLogger;
  /** Told every command's round trip and outcome (the agent's QMP metrics). */
  readonly observer?: QmpObserver;
}

/** Counters for self-monitoring. */
export interface QmpClientCounters {
  commands: number;
  replies: number;
  events: number;
  /** Replies whose id matched no pending command (late after a timeout or abort, or unknown). */
  droppedReplies: number;
}



const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of ms, got ${value}`);
  return value;
};

/** One QMP connection. Construct, subscribe to events, then `connect()`. */
export class QmpClient implements QmpExecutor {
  readonly path: string;
  readonly counters: QmpClientCounters = { commands: 0, replies: 0, events: 0, droppedReplies: 0 };
  readonly #commandTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #retryIntervalMs: number;
  readonly #log: QmpLogger;
  readonly #observer: QmpObserver | undefined;
  readonly #splitter: QmpLineSplitter;
  readonly #events: QmpEventHub;
  readonly #pending = new QmpPendingCalls();
  readonly #closeListeners = new Set<(reason: VirtmonError) => void>();
  readonly #connectAbort = new AbortController();
  #state: QmpConnectionState = 'new';
  #socket: Socket | undefined;
  #greeting: QmpGreeting | undefined;
  #greetingWaiter: { resolve: (g: QmpGreeting) => void; reject: (e: VirtmonError) => void } | undefined;
  #closeReason: VirtmonError | undefined;
  #socketClosed: Promise<void> = Promise.resolve();

  constructor(options: QmpClientOptions) {
    this.path = options.path;
    this.#commandTimeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs ?? 10_000);
    this.#connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs ?? 10_000);
    this.#retryIntervalMs = positive('retryIntervalMs', options.retryIntervalMs ?? 50);
    this.#splitter = new QmpLineSplitter(options.maxMessageBytes ?? QMP_MAX_MESSAGE_BYTES);
    this.#log = options.logger ?? silentLogger();
    this.#observer = options.observer;
    this.#events = new QmpEventHub((err, event) => {
      this.#log.warn({ err, event: event.event, path: this.path }, 'QMP event listener threw');
    });
  }

  /** Creates a client and connects it. */
  static async connect(options: QmpClientOptions, signal?: AbortSignal): Promise<QmpClient> {
    const client = new QmpClient(options);
    await client.connect(signal);
    return client;
  }

  /** Current connection state. */
  get state(): QmpConnectionState {
    return this.#state;
  }

  /** The greeting, once received. */
  get greeting(): QmpGreeting | undefined {
    return this.#greeting;
  }

  /** Why the connection closed (undefined while open). */
  get closeReason(): VirtmonError | undefined {
    return this.#closeReason;
  }

  /** Connects (retrying until the socket exists), reads the greeting and negotiates capabilities.
   * Events that arrive meanwhile reach listeners already subscribed. On failure the client is closed. */
  async connect(signal?: AbortSignal): Promise<QmpGreeting> {
    if (this.#state !== 'new') throw operationInvalid(`QMP client is ${this.#state}, not new`);
    this.#state = 'connecting';
    const deadline = performance.now() + this.#connectTimeoutMs;
    const combined = signal === undefined ? this.#connectAbort.signal : AbortSignal.any([signal, this.#connectAbort.signal]);
    try {
      const socket = await connectUnixWithRetry(this.path, {
        timeoutMs: this.#connectTimeoutMs, retryIntervalMs: this.#retryIntervalMs, signal: combined,
      });
      const closedMeanwhile = this.closeReason;
      if (closedMeanwhile !== undefined) {
        socket.destroy();
        throw closedMeanwhile;
      }
      this.#attach(socket);
      const greeting = await this.#awaitGreeting(deadline - performance.now(), combined);
      this.#state = 'negotiating';
      await this.#send('qmp_capabilities', undefined, Math.max(1, deadline - performance.now()), combined);
      const closedNow = this.closeReason;
      if (closedNow !== undefined) throw closedNow;
      this.#state = 'ready';
      return greeting;
    } catch (err) {
      const error = err instanceof VirtmonError ? err : qmpInterrupted('connect failed', err);
      this.#shutdown(error);
      throw error;
    }
  }

  /** Runs a command; resolves with its `return` value. Rejects with INTERNAL_ERROR for a QMP error
   * reply (`qmpClass` set), OPERATION_TIMEOUT after the deadline, VIRTMON_ERR_QMP_INTERRUPTED when the
   * connection closes first. An abort or timeout does not undo the command: QEMU may still run it. */
  execute<C extends QmpTypedCommand>(command: C, args?: Record<string, unknown>, options?: QmpCommandOptions): Promise<QmpCommandResults[C]>;
  execute<T = unknown>(command: string, args?: Record<string, unknown>, options?: QmpCommandOptions): Promise<T>;
  execute<T>(command: string, args?: Record<string, unknown>, options: QmpCommandOptions = {}): Promise<T> {
    if (this.#state !== 'ready') {
      return Promise.reject(this.#state === 'closed'
        ? qmpInterrupted(`cannot run '${command}': ${this.#closeReason?.detail ?? 'closed'}`, this.#closeReason)
        : operationInvalid(`QEMU monitor is not ready (${this.#state}) for '${command}'`));
    }
    const timeoutMs = options.timeoutMs ?? this.#commandTimeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return Promise.reject(new RangeError(`timeoutMs must be positive, got ${timeoutMs}`));
    return this.#send(command, args, timeoutMs, options.signal) as Promise<T>;
  }

  /** Subscribes to one event (typed for the names in QmpEventDataMap). */
  onEvent<N extends string>(name: N, listener: QmpEventListener<N>): Unsubscribe {
    return this.#events.on(name, listener);
  }

  /** Subscribes to every event. */
  onAnyEvent(listener: QmpEventListener): Unsubscribe {
    return this.#events.onAny(listener);
  }

  /** Waits for the next `name` event matching `predicate`. Subscribe before sending the command that
   * causes it, and await (or catch) the promise even if that command fails. */
  waitForEvent<N extends string>(
    name: N,
    predicate?: (event: QmpEvent<N>) => boolean,
    timeoutMs: number = this.#commandTimeoutMs,
    options?: WaitForEventOptions,
  ): Promise<QmpEvent<N>> {
    return this.#events.wait(name, predicate, timeoutMs, options);
  }

  /** Called once when the connection closes, with the reason (EOF, error, protocol error, close()). */
  onClose(listener: (reason: VirtmonError) => void): Unsubscribe {
    if (this.#closeReason !== undefined) {
      const reason = this.#closeReason;
      queueMicrotask(() => listener(reason));
      return () => undefined;
    }
    this.#closeListeners.add(listener);
    return () => {
      this.#closeListeners.delete(listener);
    };
  }

  /** Closes the connection; pending calls reject with VIRTMON_ERR_QMP_INTERRUPTED. Resolves once the
   * socket is closed. Idempotent. */
  async close(): Promise<void> {
    this.#shutdown(qmpInterrupted('closed by virtmon'));
    await this.#socketClosed;
  }

  #send(command: string, args: Record<string, unknown> | undefined, timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted === true) return Promise.reject(qmpAborted(`QEMU command '${command}'`, signal.reason));
    const socket = this.#socket;
    if (socket === undefined) return Promise.reject(qmpInterrupted(`cannot run '${command}': not connected`));
    const id = this.#pending.nextId();
    const line = args === undefined
      ? `{"execute":${JSON.stringify(command)},"id":"${id}"}\n`
      : `${JSON.stringify({ execute: command, arguments: args, id })}\n`;
    const started = performance.now();
    return new Promise<unknown>((resolve, reject) => {
      this.#pending.add(id, {
        command,
        resolve: (value) => { this.#observe(command, started, 'ok'); resolve(value); },
        reject: (err) => { this.#observe(command, started, err.code === 'VIR_ERR_OPERATION_TIMEOUT' ? 'timeout' : 'error'); reject(err); },
      }, timeoutMs, signal);
      this.counters.commands++;
      socket.write(line);
    });
  }

  /** Reports one settled command; an observer that throws is logged, never allowed to break the call. */
  #observe(command: string, started: number, outcome: QmpOutcome): void {
    if (this.#observer === undefined) return;
    try {
      this.#observer(command, (performance.now() - started) / 1000, outcome);
    } catch (err) {
      this.#log.warn({ err, path: this.path }, 'QMP observer threw');
    }
  }

  #attach(socket: Socket): void {
    this.#socket = socket;
    this.#socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => {
      try {
        this.#splitter.push(chunk, this.#onLine);
      } catch (err) {
        this.#shutdown(qmpInterrupted('protocol error on the QEMU monitor', err));
      }
    });
    socket.on('error', (err) => {
      lastError = err;
    });
    socket.on('close', () => {
      const detail = lastError === undefined ? 'end of file from QEMU monitor' : `QEMU monitor connection failed: ${lastError.message}`;
      this.#shutdown(qmpInterrupted(detail, lastError));
    });
  }

  readonly #onLine = (line: string): void => {
    if (this.#state === 'closed') return;
    let msg: QmpMessage;
    try {
      msg = decodeMessage(line);
    } catch (err) {
      this.#shutdown(qmpInterrupted('protocol error on the QEMU monitor', err));
      return;
    }
    switch (msg.kind) {
      case 'return':
      case 'error': {
        const id = typeof msg.id === 'string' ? msg.id : undefined;
        const entry = id === undefined ? undefined : this.#pending.take(id);
        if (entry === undefined) {
          this.#dropReply(id, msg);
          return;
        }
        this.counters.replies++;
        if (msg.kind === 'return') entry.resolve(msg.value);
        else entry.reject(qmpCommandError(entry.command, msg.errorClass, msg.desc));
        return;
      }
      case 'event':
        this.counters.events++;
        this.#events.emit(msg.event);
        return;
      case 'greeting':
        if (this.#greetingWaiter !== undefined) {
          this.#greeting = msg.greeting;
          this.#greetingWaiter.resolve(msg.greeting);
          this.#greetingWaiter = undefined;
        } else {
          this.#log.warn({ path: this.path }, 'unexpected QMP greeting dropped');
        }
        return;
    }
  };

  #dropReply(id: string | undefined, msg: QmpMessage): void {
    this.counters.droppedReplies++;
    if (id !== undefined && this.#pending.forgetAbandoned(id)) {
      this.#log.debug({ path: this.path, id }, 'late QMP reply dropped (caller gave up)');
      return;
    }
    const detail = msg.kind === 'error' ? { errorClass: msg.errorClass, desc: msg.desc } : {};
    this.#log.warn({ path: this.path, id: id ?? null, ...detail }, 'QMP reply with unknown id dropped');
  }

  #awaitGreeting(timeoutMs: number, signal: AbortSignal): Promise<QmpGreeting> {
    if (this.#greeting !== undefined) return Promise.resolve(this.#greeting);
    return new Promise<QmpGreeting>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#greetingWaiter = undefined;
      };
      const onAbort = (): void => {
        done();
        reject(qmpAborted('waiting for the QMP greeting', signal.reason));
      };
      const timer = setTimeout(() => {
        done();
        reject(new VirtmonError('VIR_ERR_OPERATION_TIMEOUT', `no QMP greeting from ${this.path} within ${this.#connectTimeoutMs} ms`));
      }, Math.max(1, timeoutMs));
      signal.addEventListener('abort', onAbort, { once: true });
      this.#greetingWaiter = {
        resolve: (g) => { done(); resolve(g); },
        reject: (e) => { done(); reject(e); },
      };
    });
  }

  /** Final transition: closes the socket, rejects everything pending, tells the close listeners. */
  #shutdown(reason: VirtmonError): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#closeReason = reason;
    this.#connectAbort.abort(reason);
    this.#socket?.destroy();
    this.#greetingWaiter?.reject(reason);
    this.#pending.rejectAll((command) => qmpInterrupted(`${reason.detail ?? 'closed'} (while waiting for '${command}')`, reason));
    this.#events.close(reason);
    for (const listener of [...this.#closeListeners]) {
      try {
        listener(reason);
      } catch (err) {
        this.#log.warn({ err, path: this.path }, 'QMP close listener threw');
      }
    }
    this.#closeListeners.clear();
  }
}
