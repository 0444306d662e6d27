/**
 * The status page as a fastify plugin: `/` (HTML), `/status/app.js`, `/status/style.css`, `/status.json`
 * and `/status/events` (server-sent events, one `status` event per snapshot change, coalesced). It reads
 * the snapshot only; alert states and recent actions come from optional providers in the options.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildDocument, type DocumentSources } from './document.ts';
import { StatusHistory } from './history.ts';
import type { StatusPluginOptions } from './types.ts';

const ASSETS = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/status/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/status/style.css', 'style.css', 'text/css; charset=utf-8'],
] as const;

/** How often an idle event stream gets a comment line, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;

/** One open event stream. */
interface Stream {
  /** The snapshot changed: push soon. */
  notify(): void;
  close(): void;
}

/** Registers the status routes; closes its event streams when the server closes. */
export async function statusPlugin(app: FastifyInstance, options: StatusPluginOptions): Promise<void> {
  const history = new StatusHistory(options.historySize ?? 120);
  const src: DocumentSources = { snapshot: options.snapshot, history, options, now: options.now ?? Date.now };
  const pushInterval = options.pushIntervalMs ?? 250;
  if (!Number.isFinite(pushInterval) || pushInterval < 0) throw new RangeError(`status pushIntervalMs must be >= 0, got ${pushInterval}`);

  history.observe(options.snapshot.entries());
  const streams = new Set<Stream>();
  const unsubscribe = options.snapshot.subscribe(() => {
    history.observe(options.snapshot.entries());
    for (const s of streams) s.notify();
  });

  for (const [url, file, type] of ASSETS) {
    const body = await readFile(new URL(`./public/${file}`, import.meta.url));
    app.get(url, { config: { access: 'read' } }, async (_req, reply) => reply.type(type).header('cache-control', 'no-cache').send(body));
  }

  // `?since=MS`: only history points newer than MS (the polling client's newest point); default all.
  app.get('/status.json', { config: { access: 'read' } }, async (req, reply) => {
    const raw = (req.query as Record<string, unknown>).since;
    const since = raw === undefined ? -Infinity : Number(raw);
    if (Number.isNaN(since)) {
      return reply.code(400).send({ error: `/status.json: query parameter since must be a number of ms, got ${JSON.stringify(raw)}` });
    }
    return reply.header('cache-control', 'no-store').send(await buildDocument(src, () => since));
  });

  app.get('/status/events', { config: { access: 'read' } }, (_req, reply) => {
    openStream(reply, src, pushInterval, streams);
  });

  // Open event streams would keep the server from closing: end them first.
  app.addHook('preClose', (done) => {
    unsubscribe();
    for (const s of [...streams]) s.close();
    done();
  });
}

/** Writes one SSE stream: the current document now, then one per change, at most one per `pushInterval`. */
function openStream(reply: FastifyReply, src: DocumentSources, pushInterval: number, streams: Set<Stream>): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  let timer: NodeJS.Timeout | undefined;
  let lastPush = 0;
  let closed = false;
  // Newest point already sent per domain: after the first event a push carries only new points.
  let sent = new Map<string, number>();
  const send = async (): Promise<void> => {
    timer = undefined;
    lastPush = Date.now();
    const doc = await buildDocument(src, (uuid) => sent.get(uuid) ?? -Infinity);
    if (closed) return;
    const next = new Map<string, number>();
    for (const d of doc.domains) {
      const t = d.history.t.at(-1) ?? sent.get(d.uuid);
      if (t !== undefined) next.set(d.uuid, t);
    }
    sent = next;
    res.write(`event: status\nid: ${doc.version}\ndata: ${JSON.stringify(doc)}\n\n`);
  };
  const heartbeat = setInterval(() => { if (!closed) res.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
  heartbeat.unref();
  const stream: Stream = {
    notify() {
      if (closed || timer !== undefined) return;
      timer = setTimeout(() => { void send(); }, Math.max(0, lastPush + pushInterval - Date.now()));
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      clearInterval(heartbeat);
      streams.delete(stream);
      res.end();
    },
  };
  streams.add(stream);
  res.on('close', () => { stream.close(); });
  res.write('retry: 2000\n\n');
  void send();
}
