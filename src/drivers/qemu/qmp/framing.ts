/**
 * QMP framing: QEMU writes one JSON object per line, ending in CRLF (observed on 7.2). The splitter works
 * on Buffers and decodes each line once, so a multi-byte character split across chunks survives and a
 * reply that arrives in one chunk is never copied. A line longer than the cap (10 MiB, as qemu's python
 * client) is a protocol error: a monitor that sends that much without a newline is broken or hostile.
 */
import { VirtmonError } from '../../../domain/errors.ts';
import type { QmpEvent, QmpGreeting, QmpMessage } from './types.ts';

/** Largest message accepted, bytes, without the line end. */
export const QMP_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/** Cuts a byte stream into lines (LF or CRLF), skipping empty lines. */
export class QmpLineSplitter {
  readonly #maxBytes: number;
  /** Pieces of the current, incomplete line. */
  #parts: Buffer[] = [];
  #partBytes = 0;

  constructor(maxBytes: number = QMP_MAX_MESSAGE_BYTES) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
    this.#maxBytes = maxBytes;
  }

  /** Bytes held for an incomplete line. */
  get bufferedBytes(): number {
    return this.#partBytes;
  }

  /** Feeds a chunk and calls `onLine` for every complete line in it. Throws VIRTMON_ERR_QMP_PROTOCOL
   * when a line exceeds the cap; the splitter is then empty and must not be fed again. */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    let nl = chunk.indexOf(LF, start);
    while (nl !== -1) {
      if (this.#partBytes === 0) {
        this.#checkSize(nl - start - (nl > start && chunk[nl - 1] === CR ? 1 : 0));
        emit(chunk, start, nl, onLine);
      } else {
        const total = this.#partBytes + nl - start;
        const lastByte = nl > start ? chunk[nl - 1] : this.#parts[this.#parts.length - 1]?.at(-1);
        this.#checkSize(total - (lastByte === CR ? 1 : 0));
        this.#parts.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.#parts, total);
        this.#parts = [];
        this.#partBytes = 0;
        emit(line, 0, line.length, onLine);
      }
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      // The held part may end in the CR of a CRLF still to come.
      this.#checkSize(this.#partBytes + chunk.length - start - (chunk[chunk.length - 1] === CR ? 1 : 0));
      this.#parts.push(start === 0 ? chunk : chunk.subarray(start));
      this.#partBytes += chunk.length - start;
    }
  }

  #checkSize(bytes: number): void {
    if (bytes > this.#maxBytes) {
      this.#parts = [];
      this.#partBytes = 0;
      throw new VirtmonError('VIRTMON_ERR_QMP_PROTOCOL', `message exceeds ${this.#maxBytes} bytes`);
    }
  }
}

function emit(buf: Buffer, start: number, end: number, onLine: (line: string) => void): void {
  if (end > start && buf[end - 1] === CR) end--;
  if (end > start) onLine(buf.toString('utf8', start, end));
}

const snippet = (line: string): string => (line.length > 120 ? `${line.slice(0, 120)}…` : line);

function protocolError(detail: string, line: string, cause?: unknown): VirtmonError {
  return new VirtmonError('VIRTMON_ERR_QMP_PROTOCOL', `${detail}: ${snippet(line)}`, cause === undefined ? {} : { cause });
}

/** Parses one line and classifies it. Throws VIRTMON_ERR_QMP_PROTOCOL for anything that is not QMP. */
export function decodeMessage(line: string): QmpMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw protocolError('invalid JSON', line, err);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw protocolError('not a JSON object', line);
  const msg = parsed as Record<string, unknown>;
  // Replies first: they are the hot path.
  if (msg.return !== undefined) return { kind: 'return', id: msg.id, value: msg.return };
  if (typeof msg.event === 'string') {
    const data = msg.data;
    const ts = msg.timestamp as { seconds?: unknown; microseconds?: unknown } | undefined;
    const event = {
      event: msg.event,
      data: typeof data === 'object' && data !== null ? data : {},
      timestamp: {
        seconds: typeof ts?.seconds === 'number' ? ts.seconds : 0,
        microseconds: typeof ts?.microseconds === 'number' ? ts.microseconds : 0,
      },
    } as QmpEvent;
    return { kind: 'event', event };
  }
  if (msg.error !== undefined) {
    if (typeof msg.error !== 'object' || msg.error === null) throw protocolError('malformed error reply', line);
    const error = msg.error as { class?: unknown; desc?: unknown };
    return {
      kind: 'error',
      id: msg.id,
      errorClass: typeof error.class === 'string' ? error.class : 'GenericError',
      desc: typeof error.desc === 'string' ? error.desc : '',
    };
  }
  if (typeof msg.QMP === 'object' && msg.QMP !== null) {
    const qmp = msg.QMP as { version?: unknown; capabilities?: unknown };
    if (typeof qmp.version !== 'object' || qmp.version === null) throw protocolError('greeting without version', line);
    const capabilities = Array.isArray(qmp.capabilities) ? qmp.capabilities.filter((c) => typeof c === 'string') : [];
    return { kind: 'greeting', greeting: { QMP: { version: qmp.version as QmpGreeting['QMP']['version'], capabilities } } };
  }
  throw protocolError('unrecognised message', line);
}
