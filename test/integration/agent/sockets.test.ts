import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import type { Component } from '../../../src/agent/components.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import { CLI_DRIVERS } from '../../../src/drivers/index.ts';
import { parseUri } from '../../../src/drivers/uri.ts';
import { startTestAgent, type TestAgent } from '../../helpers/agent.ts';

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
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath, method, path, headers: payload === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
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

test('SSE on the read-only socket delivers lifecycle events of changes made on the read-write one', async () => {
  const ro = await openConnection(parseUri(ta.uri(true)), CLI_DRIVERS, { readOnly: true });
  const rw = await openConnection(parseUri(ta.uri()), CLI_DRIVERS);
  const seen: DomainEvent[] = [];
  const got = new Promise<void>((resolve) => {
    const off = ro.onDomainEvent((e) => {
      seen.push(e);
      if (seen.length === 2) { off(); resolve(); }
    });
  });
  // The stream must be subscribed before the change: wait for the agent to see the subscriber.
  await new Promise((r) => setTimeout(r, 300));
  const dom = await rw.lookupByName('test');
  await rw.suspend(dom);
  await rw.resume(dom);
  await got;
  assert.deepEqual(seen.map((e) => (e.kind === 'lifecycle' ? [e.domain.name, e.type, e.detail] : e.kind)), [['test', 3, 0], ['test', 4, 0]]);
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
  const ended = new Promise<void>((resolve) => {
    const req = request({ socketPath: other.agent.addresses.readOnlySocket, path: '/v1/events' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.end();
  });
  await new Promise((r) => setTimeout(r, 200));
  await other.agent.stop();
  await ended;
  assert.deepEqual(log, ['start x', 'start y', 'stop y', 'stop x']);
  await assert.rejects(stat(other.agent.addresses.socket), { code: 'ENOENT' });
  await other.tmp.remove();
});
