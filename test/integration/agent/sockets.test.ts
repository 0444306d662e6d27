import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import type { Component } from '../../../src/agent/components.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import { CLI_DRIVERS } from '../../../src/drivers/index.ts';
import { parseSseBlock } from '../../../src/drivers/remote/events.ts';
import { parseUri } from '../../../src/drivers/uri.ts';
import { startTestAgent, type TestAgent } from '../../helpers/agent.ts';
import { request } from 'node:http';
import { httpRequest } from '../../helpers/http-request.ts';

let ta: TestAgent;
const componentLog: string[] = [];

before(async () => {
  const component = (name: string): Component => ({
    name,
    start: () => { componentLog.push(`start ${name}`); return Promise.resolve(); },
    stop: () => { componentLog.push(`stop ${name}`); return Promise.resolve(); },
  });
  ta = await startTestAgent({
    components: [() => component('one'), () => undefined, (ctx) => { assert.ok(ctx.snapshot !== undefined); return component('two'); }],
    httpPlugins: [() => ({ name: 'hello', plugin: (app, _opts) => { app.get('/hello', () => 'hi'); return Promise.resolve(); } })],
  });
});
after(() => ta.stop());

/** One HTTP request over a unix socket; resolves status and body. */
function viaSocket(socketPath: string, method: string, path: string, body?: object): Promise<{ status: number; body: string }> {
  return httpRequest({ socketPath, method, path, ...(body === undefined ? {} : { body }) });
}

test('sockets: read-write 0600, read-only 0666; components started in order; plugins on the HTTP listener', async () => {
  const rw = await stat(ta.agent.addresses.socket);
  const ro = await stat(ta.agent.addresses.readOnlySocket);
  assert.ok(rw.isSocket() && ro.isSocket());
  assert.equal(rw.mode & 0o777, 0o600);
  assert.equal(ro.mode & 0o777, 0o666);
  assert.deepEqual(componentLog, ['start one', 'start two']);
  const hello = await fetch(`http://${ta.agent.addresses.http}/hello`);
  assert.equal(await hello.text(), 'hi');
});

test('/healthz answers at once, /readyz once the collection has listed the domains', async () => {
  const health = await fetch(`http://${ta.agent.addresses.http}/healthz`);
  assert.deepEqual(await health.json(), { status: 'ok' });
  let ready: Response | undefined;
  for (let i = 0; i < 50; i++) {
    ready = await fetch(`http://${ta.agent.addresses.http}/readyz`);
    if (ready.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(ready?.status, 200);
  assert.deepEqual(await ready?.json(), { status: 'ready', checks: { connection: 'ok', collection: 'ok' } });
});

test('the read-only socket serves reads and refuses changes; the read-write socket changes', async () => {
  const list = await viaSocket(ta.agent.addresses.readOnlySocket, 'GET', '/v1/domains');
  assert.equal(list.status, 200);
  const denied = await viaSocket(ta.agent.addresses.readOnlySocket, 'POST', '/v1/domains/test/suspend', {});
  assert.equal(denied.status, 403);
  assert.equal((JSON.parse(denied.body) as { message: string }).message, 'operation forbidden for read only access');
  const stats = await viaSocket(ta.agent.addresses.readOnlySocket, 'GET', '/v1/stats');
  assert.equal(stats.status, 200);
});

/** Opens GET /v1/events on a socket; resolves once the stream's first line arrived. */
function openStream(socketPath: string): Promise<{ blocks: string[]; ended: Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const blocks: string[] = [];
    let buffer = '';
    let endedResolve: () => void = () => undefined;
    const ended = new Promise<void>((r) => { endedResolve = r; });
    const req = request({ socketPath, path: '/v1/events' }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          blocks.push(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
        resolve({ blocks, ended, close: () => req.destroy() });
      });
      res.on('end', endedResolve);
      res.on('error', endedResolve);
    });
    req.on('error', reject);
    req.end();
  });
}

test('SSE on the read-only socket delivers lifecycle events of changes made on the read-write one', async () => {
  const stream = await openStream(ta.agent.addresses.readOnlySocket);
  const rw = await openConnection(parseUri(ta.uri()), CLI_DRIVERS);
  const dom = await rw.lookupByName('test');
  await rw.suspend(dom);
  await rw.resume(dom);
  for (let i = 0; i < 100 && stream.blocks.filter((b) => b.includes('event: lifecycle')).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  stream.close();
  const events = stream.blocks.map(parseSseBlock).filter((e) => e !== undefined);
  assert.deepEqual(events.map((e) => (e.kind === 'lifecycle' ? [e.domain.name, e.type, e.detail] : e.kind)), [['test', 3, 0], ['test', 4, 0]]);
  assert.match(stream.blocks.find((b) => b.includes('event: lifecycle')) ?? '', /^id: 1\nevent: lifecycle\ndata: \{.*"event":"Suspended Paused"/);
  await rw.close();
});

test('the remote driver\'s onDomainEvent hands the agent\'s events to the listener', async () => {
  const ro = await openConnection(parseUri(ta.uri(true)), CLI_DRIVERS, { readOnly: true });
  const rw = await openConnection(parseUri(ta.uri()), CLI_DRIVERS);
  const seen: DomainEvent[] = [];
  const off = ro.onDomainEvent((e) => { seen.push(e); });
  const dom = await rw.lookupByName('test');
  // The stream connects asynchronously: repeat the change until the listener has seen it.
  for (let i = 0; i < 100 && seen.length === 0; i++) {
    await rw.suspend(dom);
    await rw.resume(dom);
    await new Promise((r) => setTimeout(r, 50));
  }
  off();
  const first = seen[0];
  assert.ok(first !== undefined && first.kind === 'lifecycle');
  assert.equal(first.domain.name, 'test');
  assert.ok(first.type === 3 || first.type === 4);
  await ro.close();
  await rw.close();
});

test('stopping an agent ends open event streams, stops components in reverse order and removes its sockets', async () => {
  const log: string[] = [];
  const other = await startTestAgent({
    components: ['x', 'y'].map((name) => () => ({
      name,
      start: () => { log.push(`start ${name}`); return Promise.resolve(); },
      stop: () => { log.push(`stop ${name}`); return Promise.resolve(); },
    })),
  });
  const stream = await openStream(other.agent.addresses.readOnlySocket);
  await other.agent.stop();
  await stream.ended;
  assert.deepEqual(log, ['start x', 'start y', 'stop y', 'stop x']);
  await assert.rejects(stat(other.agent.addresses.socket), { code: 'ENOENT' });
  await other.tmp.remove();
});
