/**
 * The status plugin through fastify inject (page, assets, /status.json with and without providers) and
 * over a real loopback socket for the server-sent events stream (first document, push on change, close).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { statusPlugin } from '../../../src/exporters/status/plugin.ts';
import type { StatusDocument, StatusPluginOptions } from '../../../src/exporters/status/types.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { entry, runningFields } from '../../helpers/status-snapshot.ts';

function storeWith(k: number, time: number): SnapshotStore {
  const store = new SnapshotStore();
  store.set(entry('web', time, runningFields(k)));
  store.set(entry('off', time, { 'state.state': 5, 'balloon.maximum': 262144n }, 5));
  store.setHealth({
    up: true, domainCount: 2, cyclesSkipped: 0, domainSkips: new Map(), errorsByKind: new Map(),
    collectors: [{ name: 'cpu', durationSeconds: 0.002, success: true, intervalMs: 10_000 }, { name: 'block', durationSeconds: 0.01, success: false, intervalMs: 20_000 }],
  });
  store.commit();
  return store;
}

async function app(options: StatusPluginOptions): Promise<FastifyInstance> {
  const a = Fastify();
  await a.register(statusPlugin, options);
  await a.ready();
  return a;
}

test('GET / serves the page; its script and stylesheet are served; every route is read access', async (t) => {
  const routes: { url: string; access: unknown }[] = [];
  const a = Fastify();
  a.addHook('onRoute', (r) => { routes.push({ url: r.url, access: (r.config as { access?: unknown } | undefined)?.access }); });
  await a.register(statusPlugin, { snapshot: storeWith(1, 1000) });
  t.after(() => a.close());
  const page = await a.inject('/');
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['content-type'] as string, /^text\/html/);
  assert.match(page.body, /<script src="\/status\/app.js"/);
  assert.match(page.body, /href="\/metrics"/);
  const js = await a.inject('/status/app.js');
  assert.equal(js.statusCode, 200);
  assert.match(js.headers['content-type'] as string, /javascript/);
  assert.match(js.body, /EventSource\('\/status\/events'\)/);
  assert.equal((await a.inject('/status/style.css')).statusCode, 200);
  assert.deepEqual(routes.map((r) => r.access), routes.map(() => 'read'));
  assert.ok(routes.length >= 5);
});

test('/status.json: domains with state and numbers, history, collector health; providers absent', async (t) => {
  const store = storeWith(0, 10_000);
  const a = await app({ snapshot: store, now: () => 42 });
  t.after(() => a.close());
  store.set(entry('web', 12_000, runningFields(2)));
  store.commit();
  const doc = (await a.inject('/status.json')).json<StatusDocument>();
  assert.equal(doc.generatedAt, 42);
  assert.equal(doc.up, true);
  assert.equal(doc.domainCount, 2);
  assert.equal(doc.metricsPath, '/metrics');
  assert.deepEqual(doc.domains.map((d) => [d.name, d.stateText, d.active]), [['off', 'shut off', false], ['web', 'running', true]]);
  const web = doc.domains[1];
  assert.deepEqual(web?.latest, { t: 12_000, mem: 524288 * 1024, cpu: 25, disk: 12288, net: 1500 });
  assert.deepEqual(web?.history, { t: [10_000, 12_000], cpu: [null, 25], mem: [536870912, 536870912], disk: [null, 12288], net: [null, 1500] });
  assert.equal(doc.historySize, 120);
  assert.equal(web?.vcpus, 2);
  assert.equal(web?.maxMemoryBytes, 1048576 * 1024);
  assert.equal(doc.domains[0]?.maxMemoryBytes, 262144 * 1024);
  assert.deepEqual(doc.collectors.map((c) => [c.name, c.success]), [['cpu', true], ['block', false]]);
  assert.equal('alerts' in doc, false);
  assert.equal('actions' in doc, false);
});

test('/status.json?since=MS sends only newer history points; a bad since is a 400 naming the parameter', async (t) => {
  const store = storeWith(0, 10_000);
  const a = await app({ snapshot: store });
  t.after(() => a.close());
  for (const k of [1, 2, 3]) {
    store.set(entry('web', 10_000 + k * 1000, runningFields(k)));
    store.commit();
  }
  const doc = (await a.inject('/status.json?since=12000')).json<StatusDocument>();
  const web = doc.domains.find((d) => d.name === 'web');
  assert.deepEqual(web?.history.t, [13_000]);
  assert.equal(web?.latest?.t, 13_000, 'latest is there even when no point is new');
  assert.deepEqual((await a.inject('/status.json?since=99999')).json<StatusDocument>().domains.find((d) => d.name === 'web')?.history.t, []);
  const bad = await a.inject('/status.json?since=yesterday');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /since must be a number/);
});

test('/status.json: alert, action and collector providers (sync and async); a failing provider shows as empty', async (t) => {
  const a = await app({
    snapshot: storeWith(1, 1000),
    alerts: () => [{ name: 'VirtmonDomainCrashed', state: 'firing', severity: 'critical', domain: 'web', since: 5 }],
    actions: () => Promise.resolve(Array.from({ length: 60 }, (_, i) => ({ time: i, domain: 'web', action: 'suspend', result: 'success' }))),
    collectors: () => { throw new Error('engine down'); },
    metricsPath: '/m', title: 'host-a',
  });
  t.after(() => a.close());
  const doc = (await a.inject('/status.json')).json<StatusDocument>();
  assert.deepEqual(doc.alerts?.map((x) => [x.name, x.state]), [['VirtmonDomainCrashed', 'firing']]);
  assert.equal(doc.actions?.length, 50);
  assert.equal(doc.actions?.[0]?.time, 59, 'newest action first');
  assert.deepEqual(doc.collectors, []);
  assert.equal(doc.metricsPath, '/m');
  assert.equal(doc.title, 'host-a');
});

test('bad options are refused at registration', async () => {
  const a = Fastify();
  await assert.rejects(async () => { await a.register(statusPlugin, { snapshot: new SnapshotStore(), historySize: 0 }).ready(); }, /historySize/);
  const b = Fastify();
  await assert.rejects(async () => { await b.register(statusPlugin, { snapshot: new SnapshotStore(), pushIntervalMs: -1 }).ready(); }, /pushIntervalMs/);
});

/** Reads SSE `status` events from a live server until `until` returns true. */
function readEvents(url: string, until: (docs: StatusDocument[]) => boolean, onOpen: () => void): Promise<{ docs: StatusDocument[]; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const docs: StatusDocument[] = [];
    const req = http.get(url, (res) => {
      let buf = '';
      onOpen();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: status') && data !== undefined) docs.push(JSON.parse(data.slice(6)) as StatusDocument);
        }
        if (until(docs)) { req.destroy(); resolve({ docs, headers: res.headers }); }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

test('/status/events pushes the document at once and again after a snapshot change; close ends open streams', async (t) => {
  const store = storeWith(1, 1000);
  const a = await app({ snapshot: store, pushIntervalMs: 10 });
  t.after(() => a.close());
  const address = await a.listen({ host: '127.0.0.1', port: 0 });
  let opened = false;
  const { docs, headers } = await readEvents(`${address}/status/events`, (d) => {
    if (d.length === 1 && opened) {
      store.set(entry('web', 2000, { ...runningFields(2), 'state.state': 3 }, 3));
      store.commit();
    }
    return d.some((x) => x.domains.some((dom) => dom.name === 'web' && dom.stateText === 'paused'));
  }, () => { opened = true; });
  assert.match(headers['content-type'] ?? '', /^text\/event-stream/);
  assert.equal(docs[0]?.domains.find((d) => d.name === 'web')?.stateText, 'running');
  assert.deepEqual(docs[0]?.domains.find((d) => d.name === 'web')?.history.t, [1000], 'first event: the whole history');
  assert.deepEqual(docs.at(-1)?.domains.find((d) => d.name === 'web')?.history.t, [2000], 'later events: only new points');
  assert.ok((docs.at(-1)?.version ?? 0) > (docs[0]?.version ?? 0));

  // A stream still open when the server closes is ended, so close() does not hang.
  const ended = new Promise<void>((resolve) => {
    http.get(`${address}/status/events`, (res) => { res.resume(); res.on('end', resolve); res.once('data', () => { void a.close(); }); });
  });
  await ended;
});
