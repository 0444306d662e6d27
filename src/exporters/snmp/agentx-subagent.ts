/**
 * The AgentX subagent (RFC 2741) of the host's snmpd over TCP: Open, Register 1.3.6.1.4.1.36957 and
 * AddAgentCaps, then answer the master's Get/GetNext/GetBulk and the Set phases, and send Notify for
 * traps. A SET acts once: validation in TestSet, the Actions call in CommitSet; UndoSet after an action
 * ran answers undoFailed. The session reconnects with backoff when the master goes away.
 */
import { connect, type Socket } from 'node:net';
import { VirtmonError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/logger.ts';
import { AxReader, AxType, HEADER_LENGTH, closePayload, encodePdu, openPayload, readHeader, registerPayload, responsePayload, encodeAxOid, encodeAxOctets, encodeAxVarBind, type AxHeader } from './agentx-codec.ts';
import { axGet, axGetBulk, axGetNext } from './agentx-reads.ts';
import type { SnmpEngine } from './engine.ts';
import { LIBVIRT_COMPLIANCE, LIBVIRT_MIB } from './libvirt-mib.ts';
import { ErrorStatus } from './pdu.ts';
import type { SetAction } from './set-plan.ts';
import type { VarBind } from './values.ts';

/** Settings of {@link AgentxSubagent}. */
export interface AgentxOptions {
  readonly engine: SnmpEngine;
  /** `tcp:HOST:PORT` of the master. */
  readonly target: string;
  readonly logger: Logger;
  readonly uptime: () => number;
}

const PARSE_ERROR = 266;
const MAX_BACKOFF_MS = 30_000;

/** One transaction's SET state between TestSet and CleanupSet. */
interface PendingSet { action?: SetAction; committed: boolean }

/** AgentX subagent session. */
export class AgentxSubagent {
  readonly #o: AgentxOptions;
  #socket: Socket | undefined;
  #sessionId = 0;
  #packetId = 0;
  #buffer = Buffer.alloc(0);
  readonly #pending = new Map<number, (h: AxHeader, payload: Buffer) => void>();
  readonly #sets = new Map<number, PendingSet>();
  #stopped = false;
  #backoff = 1000;
  #timer: NodeJS.Timeout | undefined;
  #registered = false;
  #decodeLogged = false;
  /** Notify PDUs sent. */
  notifies = 0;
  /** Malformed PDUs from the master. */
  parseErrors = 0;

  constructor(options: AgentxOptions) {
    this.#o = options;
  }

  /** True while registered with the master. */
  get registered(): boolean {
    return this.#registered;
  }

  /** First connection attempt; failures are logged and retried in the background. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#connect().catch((err: unknown) => {
      this.#o.logger.warn({ err, master: this.#o.target }, 'AgentX master not reachable; retrying');
      this.#scheduleReconnect();
    });
  }

  /** Closes the session (Close reasonShutdown) and stops reconnecting. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    const socket = this.#socket;
    if (socket === undefined) return;
    if (this.#registered) socket.write(this.#pdu(AxType.CLOSE, closePayload(5)));
    await new Promise<void>((resolve) => { socket.end(() => { resolve(); }); setTimeout(resolve, 500).unref(); });
    socket.destroy();
  }

  /** Sends a Notify (the master forwards it to its trap sinks). */
  notify(varbinds: readonly VarBind[]): void {
    if (this.#socket === undefined || !this.#registered) return;
    this.#socket.write(this.#pdu(AxType.NOTIFY, Buffer.concat(varbinds.map(encodeAxVarBind))));
    this.notifies++;
  }

  async #connect(): Promise<void> {
    const m = /^tcp:(.+):(\d+)$/.exec(this.#o.target);
    if (m === null) throw new VirtmonError('VIRTMON_ERR_CONFIG', `snmp.agentx: not tcp:HOST:PORT: ${this.#o.target}`);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(Number(m[2]), m[1], () => { s.off('error', reject); resolve(s); });
      s.once('error', reject);
    });
    this.#socket = socket;
    this.#buffer = Buffer.alloc(0);
    this.#sessionId = 0;
    socket.on('data', (d: Buffer) => { this.#onData(d); });
    socket.on('error', (err) => { this.#o.logger.warn({ err }, 'AgentX connection error'); });
    socket.on('close', () => { this.#onClose(socket); });
    const open = await this.#request(AxType.OPEN, openPayload(0, LIBVIRT_COMPLIANCE, 'virtmon LIBVIRT-MIB subagent'));
    this.#sessionId = open.sessionId;
    await this.#request(AxType.REGISTER, registerPayload(LIBVIRT_MIB));
    await this.#request(AxType.ADD_AGENT_CAPS, Buffer.concat([encodeAxOid(LIBVIRT_COMPLIANCE), encodeAxOctets('LIBVIRT-MIB')]));
    this.#registered = true;
    this.#backoff = 1000;
    this.#o.logger.info({ master: this.#o.target, session: this.#sessionId }, 'AgentX subagent registered 1.3.6.1.4.1.36957');
  }

  #onClose(socket: Socket): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    this.#registered = false;
    for (const reject of this.#pending.values()) reject({ type: -1, flags: 0, sessionId: 0, transactionId: 0, packetId: 0, payloadLength: 0 }, Buffer.alloc(0));
    this.#pending.clear();
    this.#sets.clear();
    if (!this.#stopped) {
      this.#o.logger.warn({ master: this.#o.target }, 'AgentX master connection closed; reconnecting');
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#connect().catch(() => { this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS); this.#scheduleReconnect(); });
    }, this.#backoff);
    this.#timer.unref();
  }

  #pdu(type: number, payload: Buffer, reply?: AxHeader): Buffer {
    return encodePdu({
      type, flags: 0, sessionId: this.#sessionId, transactionId: reply?.transactionId ?? 0,
      packetId: reply?.packetId ?? ++this.#packetId,
    }, payload);
  }

  #request(type: number, payload: Buffer): Promise<AxHeader> {
    const socket = this.#socket;
    if (socket === undefined) return Promise.reject(new VirtmonError('VIR_ERR_RPC', 'AgentX: not connected'));
    const msg = this.#pdu(type, payload);
    const packetId = this.#packetId;
    return new Promise((resolve, reject) => {
      this.#pending.set(packetId, (h, body) => {
        if (h.type !== AxType.RESPONSE) { reject(new VirtmonError('VIR_ERR_RPC', 'AgentX: connection closed')); return; }
        const r = new AxReader(body, true);
        r.u32();
        const error = r.u16();
        if (error !== 0) reject(new VirtmonError('VIR_ERR_RPC', `AgentX master answered error ${error} to PDU type ${type}`));
        else resolve(h);
      });
      socket.write(msg);
    });
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    try {
      while (this.#buffer.length >= HEADER_LENGTH) {
        const h = readHeader(this.#buffer);
        if (this.#buffer.length < HEADER_LENGTH + h.payloadLength) return;
        const payload = this.#buffer.subarray(HEADER_LENGTH, HEADER_LENGTH + h.payloadLength);
        this.#buffer = this.#buffer.subarray(HEADER_LENGTH + h.payloadLength);
        this.#dispatch(h, Buffer.from(payload));
      }
    } catch (err) {
      // A framing error leaves the stream unusable: count it, log once, and start a new session.
      this.parseErrors++;
      if (!this.#decodeLogged) {
        this.#decodeLogged = true;
        this.#o.logger.warn({ err }, 'malformed AgentX PDU from the master; reconnecting');
      }
      this.#socket?.destroy();
    }
  }

  #dispatch(h: AxHeader, payload: Buffer): void {
    if (h.type === AxType.RESPONSE) {
      const done = this.#pending.get(h.packetId);
      this.#pending.delete(h.packetId);
      done?.(h, payload);
      return;
    }
    void this.#answer(h, payload).catch((err: unknown) => {
      this.parseErrors++;
      if (!this.#decodeLogged) {
        this.#decodeLogged = true;
        this.#o.logger.warn({ err }, 'malformed AgentX request from the master');
      }
      this.#reply(h, PARSE_ERROR, 0, []);
    });
  }

  #reply(h: AxHeader, error: number, index: number, varbinds: readonly VarBind[]): void {
    this.#socket?.write(this.#pdu(AxType.RESPONSE, responsePayload(this.#o.uptime(), error, index, varbinds), h));
  }

  async #answer(h: AxHeader, payload: Buffer): Promise<void> {
    const r = new AxReader(payload, (h.flags & 0x10) !== 0);
    const ranges = (): ReturnType<AxReader['range']>[] => {
      const out = [];
      while (!r.done) out.push(r.range());
      return out;
    };
    const engine = this.#o.engine;
    switch (h.type) {
      case AxType.GET: r.context(h.flags); this.#reply(h, 0, 0, axGet(await engine.view(), ranges())); return;
      case AxType.GET_NEXT: r.context(h.flags); this.#reply(h, 0, 0, axGetNext(await engine.view(), ranges())); return;
      case AxType.GET_BULK: {
        r.context(h.flags);
        const n = r.u16();
        const m = r.u16();
        this.#reply(h, 0, 0, axGetBulk(await engine.view(), ranges(), n, m));
        return;
      }
      case AxType.TEST_SET: {
        r.context(h.flags);
        const varbinds: VarBind[] = [];
        while (!r.done) varbinds.push(r.varbind());
        // The master did access control (VACM); validation is ours.
        const plan = await engine.validateSet({ varbinds }, { writable: true, actor: 'agentx master' });
        if (!plan.ok) { this.#reply(h, plan.errorStatus, plan.errorIndex, []); return; }
        this.#sets.set(h.transactionId, { ...(plan.action === undefined ? {} : { action: plan.action }), committed: false });
        this.#reply(h, 0, 0, []);
        return;
      }
      case AxType.COMMIT_SET: {
        const set = this.#sets.get(h.transactionId);
        if (set?.action === undefined) { this.#reply(h, 0, 0, []); return; }
        set.committed = true;
        const done = await engine.commit(set.action, { writable: true, actor: 'agentx master' });
        this.#reply(h, done.errorStatus === 0 ? 0 : ErrorStatus.commitFailed, done.errorIndex, []);
        return;
      }
      case AxType.UNDO_SET: {
        const set = this.#sets.get(h.transactionId);
        this.#reply(h, set?.committed === true && set.action !== undefined ? ErrorStatus.undoFailed : 0, 0, []);
        return;
      }
      case AxType.CLEANUP_SET: this.#sets.delete(h.transactionId); return;
      case AxType.CLOSE: this.#socket?.destroy(); return;
      default: this.#reply(h, PARSE_ERROR, 0, []);
    }
  }
}
