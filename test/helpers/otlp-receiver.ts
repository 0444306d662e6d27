/**
 * A test OTLP receiver on 127.0.0.1, port 0: HTTP (protobuf and JSON on POST /v1/metrics, gzip aware) and
 * gRPC (MetricsService/Export via @grpc/grpc-js + @grpc/proto-loader). It decodes with the official
 * schema (otlp-schema.ts), keeps what arrived, and can misbehave on purpose: answer 503 with Retry-After,
 * answer late, or be down (listener closed, same port reopened by `up()`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { flatten, loadOtlpSchema, METRICS_SERVICE_PROTO, PROTO_DIR, TO_OBJECT, type ReceivedRequest } from './otlp-schema.ts';

/** How the receiver answers. */
export type ReceiverMode =
  | { readonly kind: 'ok' }
  /** 503 with Retry-After; after `times` such answers (default: forever) the receiver is ok again. */
  | { readonly kind: 'unavailable'; readonly retryAfterSeconds: number; readonly times?: number }
  | { readonly kind: 'slow'; readonly delayMs: number };

/** A running receiver. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT/v1/metrics` */
  readonly httpUrl: string;
  /** `http://127.0.0.1:PORT` for the gRPC exporter. */
  readonly grpcUrl: string;
  /** Decoded requests that were answered 200/OK. */
  readonly received: ReceivedRequest[];
  /** Every request that reached the receiver, whatever it answered (with its arrival time). */
  readonly attempts: { readonly at: number; readonly answered: 'ok' | '503' | 'slow' }[];
  /** Most HTTP requests open at the same time so far. */
  readonly maxInFlight: number;
  mode: ReceiverMode;
  /** Keep only the last N decoded requests (memory tests); default all. */
  keep: number;
  /** Requests answered OK so far, including those no longer kept. */
  readonly okCount: number;
  /** Resolves once `received.length > n` (polls cheaply; rejects after `limitMs`). */
  waitForRequests(n: number, limitMs?: number): Promise<void>;
  /** Closes the HTTP listener (connections refused) … */
  down(): Promise<void>;
  /** … and reopens it on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { resolve(Buffer.concat(chunks)); });
    req.on('error', reject);
  });
}

function headerMap(h: IncomingMessage['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
}

/** Starts a receiver with both transports. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const schema = loadOtlpSchema();
  const received: ReceivedRequest[] = [];
  const attempts: OtlpReceiver['attempts'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const state = { mode: { kind: 'ok' } as ReceiverMode, inFlight: 0, maxInFlight: 0, keep: Infinity, okCount: 0 };
  const push = (r: ReceivedRequest): void => {
    received.push(r);
    state.okCount++;
    if (received.length > state.keep) received.splice(0, received.length - state.keep);
  };

  const delay = (ms: number): Promise<void> => new Promise((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.add(t);
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    const mode = state.mode;
    if (mode.kind === 'unavailable') {
      attempts.push({ at: Date.now(), answered: '503' });
      const left = (mode.times ?? Infinity) - 1;
      state.mode = left <= 0 ? { kind: 'ok' } : { ...mode, times: left };
      res.writeHead(503, { 'retry-after': String(mode.retryAfterSeconds) }).end();
      return;
    }
    attempts.push({ at: Date.now(), answered: mode.kind === 'slow' ? 'slow' : 'ok' });
    if (mode.kind === 'slow') await delay(mode.delayMs);
    const json = String(req.headers['content-type']).includes('json');
    let decoded: Record<string, unknown>;
    if (json) {
      // OTLP/JSON is proto3 JSON (64-bit integers as decimal strings), which fromObject reads; a field the
      // schema does not know is dropped, so a misnamed field shows up as a missing point in the tests.
      const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      decoded = schema.request.toObject(schema.request.fromObject(parsed), TO_OBJECT);
    } else {
      decoded = schema.request.toObject(schema.request.decode(body), TO_OBJECT);
    }
    if (mode.kind === 'ok') push(flatten(json ? 'http/json' : 'http/protobuf', decoded, headerMap(req.headers)));
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
    res.end(json ? '{}' : Buffer.from(schema.response.encode(schema.response.create({})).finish()));
  };

  let http: Server | undefined;
  let port = 0;
  const listen = (): Promise<void> => new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      res.once('close', () => { state.inFlight--; });
      handle(req, res).catch((err: unknown) => { res.writeHead(500).end(String(err)); });
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      if (addr !== null && typeof addr === 'object') port = addr.port;
      http = server;
      resolve();
    });
  });
  await listen();

  const def = protoLoader.loadSync(METRICS_SERVICE_PROTO, {
    includeDirs: [PROTO_DIR], longs: String, enums: Number, bytes: String, defaults: true, oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    opentelemetry: { proto: { collector: { metrics: { v1: { MetricsService: grpc.ServiceClientConstructor } } } } };
  };
  const grpcServer = new grpc.Server();
  grpcServer.addService(pkg.opentelemetry.proto.collector.metrics.v1.MetricsService.service, {
    Export: (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      attempts.push({ at: Date.now(), answered: 'ok' });
      push(flatten('grpc', call.request, Object.fromEntries(
        Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)]),
      )));
      cb(null, {});
    },
  });
  const grpcPort = await new Promise<number>((resolve, reject) => {
    grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err)));
  });

  const closeHttp = (): Promise<void> => new Promise((resolve) => {
    const s = http;
    http = undefined;
    if (s === undefined) {
      resolve();
      return;
    }
    s.closeAllConnections();
    s.close(() => { resolve(); });
  });

  return {
    httpUrl: `http://127.0.0.1:${port}/v1/metrics`,
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    received,
    attempts,
    get maxInFlight() { return state.maxInFlight; },
    get okCount() { return state.okCount; },
    get keep() { return state.keep; },
    set keep(n: number) { state.keep = n; },
    get mode() { return state.mode; },
    set mode(m: ReceiverMode) { state.mode = m; },
    async waitForRequests(n, limitMs = 20_000) {
      const until = Date.now() + limitMs;
      while (received.length <= n) {
        if (Date.now() > until) throw new Error(`receiver got ${received.length} requests, waited for more than ${n}`);
        await delay(25);
      }
    },
    down: closeHttp,
    up: listen,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeHttp();
      await new Promise<void>((resolve) => { grpcServer.tryShutdown(() => { resolve(); }); });
    },
  };
}
