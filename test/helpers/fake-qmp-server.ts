/**
 * A scripted QMP server for fault tests, after libvirt's tests/qemumonitortestutils.c: a FIFO of
 * expected commands with canned replies; a command that is not the next expected one is recorded as a
 * failure (and answered with an error) and `assertDone()` throws. Modes per step: reply (optionally after
 * a delay, with events around it), never answer, hold until `release()`, or drop the connection halfway
 * through the reply. The greeting can be late or missing. Speaks QEMU 7.2's dialect: CRLF line ends,
 * `CommandNotFound` before `qmp_capabilities`. Listens in a short mkdtemp dir.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { shortTempDir, type ShortTempDir } from './tmp-socket.ts';

/** A canned reply. */
export type FakeReply = { readonly return: unknown } | { readonly error: { readonly class: string; readonly desc: string } };

/** An event to send; the timestamp is added. */
export interface FakeEvent {
  readonly event: string;
  readonly data?: Record<string, unknown>;
}

/** A request as the server received it. */
export interface FakeRequest {
  readonly execute: string;
  readonly arguments?: Record<string, unknown>;
  readonly id?: unknown;
}

/** One expected command. */
export interface FakeStep {
  readonly execute: string;
  /** When set, the request's arguments must deep-equal it. */
  readonly arguments?: Record<string, unknown>;
  /** Default `{ return: {} }`; a function sees the request. */
  readonly reply?: FakeReply | ((req: FakeRequest) => FakeReply);
  /** `reply` (default), `never` answer, `hold` until release(), `drop` the connection mid-reply. */
  readonly mode?: 'reply' | 'never' | 'hold' | 'drop';
  readonly delayMs?: number;
  readonly eventsBefore?: readonly FakeEvent[];
  readonly eventsAfter?: readonly FakeEvent[];
}

/** Server options. */
export interface FakeQmpServerOptions {
  /** Greeting object, or false to never greet. Default: QEMU 7.2's. */
  readonly greeting?: object | false;
  readonly greetingDelayMs?: number;
  /** Events sent after qmp_capabilities arrives and before its reply. */
  readonly eventsBeforeCapabilities?: readonly FakeEvent[];
  readonly capabilitiesReply?: FakeReply;
  /** `never` leaves qmp_capabilities unanswered. */
  readonly capabilitiesMode?: 'reply' | 'never';
  /** Line end (QEMU: CRLF). */
  readonly eol?: string;
  /** Do not listen until `listen()` is called (tests the client's retry while the socket is missing). */
  readonly deferListen?: boolean;
  /**
   * Answers commands when the FIFO is empty (a monitor polled for many cycles): returns the step to
   * play for a request, or undefined for "unexpected". Requests answered this way are not failures.
   */
  readonly fallback?: (req: FakeRequest) => FakeStep | undefined;
  /** Keep every request in `received` (default true; soak tests turn it off and read `requestCount`). */
  readonly recordRequests?: boolean;
}

/** A reply waiting for release(). */
export interface HeldReply {
  readonly request: FakeRequest;
  send(): void;
}

/** QEMU 7.2's greeting. */
export const QEMU_72_GREETING = {
  QMP: { version: { qemu: { micro: 22, minor: 2, major: 7 }, package: 'Debian 1:7.2+dfsg-7+deb12u18+b3' }, capabilities: ['oob'] },
};

const timestamp = (): { seconds: number; microseconds: number } => {
  const now = Date.now();
  return { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 };
};

/** The fake monitor. */
export class FakeQmpServer {
  readonly path: string;
  /** Every request received after negotiation, in order. */
  readonly received: FakeRequest[] = [];
  /** Requests received after negotiation (also when not recorded). */
  requestCount = 0;
  /** Unexpected commands and argument mismatches. */
  readonly failures: string[] = [];
  readonly #dir: ShortTempDir;
  readonly #options: FakeQmpServerOptions;
  readonly #steps: FakeStep[] = [];
  readonly #held: HeldReply[] = [];
  readonly #clients = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #signals = new EventEmitter();
  readonly #eol: string;
  #server: Server | undefined;

  private constructor(dir: ShortTempDir, options: FakeQmpServerOptions) {
    this.#dir = dir;
    this.path = dir.path('qmp.sock');
    this.#options = options;
    this.#eol = options.eol ?? '\r\n';
  }

  /** Creates the server (listening unless `deferListen`). */
  static async start(options: FakeQmpServerOptions = {}): Promise<FakeQmpServer> {
    const server = new FakeQmpServer(await shortTempDir('q'), options);
    if (options.deferListen !== true) await server.listen();
    return server;
  }

  /** Starts listening on `path`. */
  async listen(): Promise<void> {
    const server = createServer((socket) => this.#onClient(socket));
    this.#server = server;
    server.listen(this.path);
    await once(server, 'listening');
  }

  /** Appends expected commands to the FIFO. */
  expect(...steps: FakeStep[]): this {
    this.#steps.push(...steps);
    return this;
  }

  /** Sends an event to every client. */
  sendEvent(event: string, data?: Record<string, unknown>): void {
    for (const c of this.#clients) this.#writeEvent(c, { event, ...(data === undefined ? {} : { data }) });
  }

  /** Writes raw text to every client (no line end added). */
  sendRaw(text: string | Buffer): void {
    for (const c of this.#clients) c.write(text);
  }

  /** Number of held replies. */
  get heldCount(): number {
    return this.#held.length;
  }

  /** Sends held replies, in the given order of positions (default: all, in arrival order). */
  release(order?: readonly number[]): void {
    const picked = (order ?? this.#held.map((_, i) => i)).map((i) => this.#held[i]);
    for (const h of picked) {
      if (h === undefined) throw new Error('release: no held reply at that position');
      this.#held.splice(this.#held.indexOf(h), 1);
      h.send();
    }
  }

  /** Resolves once `n` replies are held. */
  async waitForHeld(n: number): Promise<void> {
    while (this.#held.length < n) await once(this.#signals, 'held');
  }

  /** Resolves once `n` requests (after negotiation) were received. */
  async waitForRequests(n: number): Promise<void> {
    while (this.requestCount < n) await once(this.#signals, 'request');
  }

  /** Resolves once a client is connected. */
  async waitForClient(): Promise<void> {
    while (this.#clients.size === 0) await once(this.#signals, 'client');
  }

  /** Destroys every client connection. */
  dropClients(): void {
    for (const c of this.#clients) c.destroy();
  }

  /** Throws when a command was unexpected or an expected one never came. */
  assertDone(): void {
    const problems = [...this.failures];
    if (this.#steps.length > 0) problems.push(`expected but never received: ${this.#steps.map((s) => s.execute).join(', ')}`);
    if (problems.length > 0) throw new Error(`fake QMP server: ${problems.join('; ')}`);
  }

  /** Stops listening, drops clients, removes the directory. */
  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.dropClients();
    const server = this.#server;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.#dir.remove();
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  #onClient(socket: Socket): void {
    this.#clients.add(socket);
    socket.on('close', () => this.#clients.delete(socket));
    socket.on('error', () => undefined);
    this.#signals.emit('client');
    let negotiated = false;
    let buf = '';
    const greeting = this.#options.greeting ?? QEMU_72_GREETING;
    if (greeting !== false) {
      const send = (): void => {
        if (!socket.destroyed) socket.write(JSON.stringify(greeting) + this.#eol);
      };
      if (this.#options.greetingDelayMs === undefined) send();
      else this.#later(this.#options.greetingDelayMs, send);
    }
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line === '') continue;
        let req: FakeRequest;
        try {
          req = JSON.parse(line) as FakeRequest;
        } catch {
          this.#write(socket, { error: { class: 'GenericError', desc: 'JSON parse error' } });
          continue;
        }
        if (!negotiated) {
          if (req.execute !== 'qmp_capabilities') {
            this.#reply(socket, req, { error: { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" } });
            continue;
          }
          negotiated = true;
          for (const ev of this.#options.eventsBeforeCapabilities ?? []) this.#writeEvent(socket, ev);
          if (this.#options.capabilitiesMode !== 'never') this.#reply(socket, req, this.#options.capabilitiesReply ?? { return: {} });
          continue;
        }
        this.requestCount++;
        if (this.#options.recordRequests !== false) this.received.push(req);
        this.#signals.emit('request');
        this.#handle(socket, req);
      }
    });
  }

  #handle(socket: Socket, req: FakeRequest): void {
    const queued = this.#steps[0];
    const step = queued ?? this.#options.fallback?.(req);
    if (step === undefined || step.execute !== req.execute) {
      this.failures.push(`unexpected command '${req.execute}' (expected ${step === undefined ? 'nothing' : `'${step.execute}'`})`);
      this.#reply(socket, req, { error: { class: 'GenericError', desc: `fake QMP server: unexpected command '${req.execute}'` } });
      return;
    }
    if (queued !== undefined) this.#steps.shift();
    if (step.arguments !== undefined && !isDeepStrictEqual(step.arguments, req.arguments)) {
      this.failures.push(`'${req.execute}' arguments ${JSON.stringify(req.arguments)} != expected ${JSON.stringify(step.arguments)}`);
    }
    const mode = step.mode ?? 'reply';
    if (mode === 'never') return;
    const reply = typeof step.reply === 'function' ? step.reply(req) : (step.reply ?? { return: {} });
    const send = (): void => {
      if (socket.destroyed) return;
      for (const ev of step.eventsBefore ?? []) this.#writeEvent(socket, ev);
      if (mode === 'drop') {
        const text = JSON.stringify({ ...reply, id: req.id });
        socket.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))), () => socket.destroy());
        return;
      }
      this.#reply(socket, req, reply);
      for (const ev of step.eventsAfter ?? []) this.#writeEvent(socket, ev);
    };
    if (mode === 'hold') {
      this.#held.push({ request: req, send });
      this.#signals.emit('held');
    } else if (step.delayMs !== undefined) {
      this.#later(step.delayMs, send);
    } else {
      send();
    }
  }

  #reply(socket: Socket, req: FakeRequest, reply: FakeReply): void {
    this.#write(socket, req.id === undefined ? reply : { ...reply, id: req.id });
  }

  #writeEvent(socket: Socket, ev: FakeEvent): void {
    this.#write(socket, { timestamp: timestamp(), event: ev.event, ...(ev.data === undefined ? {} : { data: ev.data }) });
  }

  #write(socket: Socket, msg: object): void {
    if (!socket.destroyed) socket.write(JSON.stringify(msg) + this.#eol);
  }
}
