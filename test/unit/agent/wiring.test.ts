import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentRunDir } from '../../../src/agent/main.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { targetOf } from '../../../src/drivers/remote/driver.ts';
import { localSocketPath } from '../../../src/drivers/remote/socket-path.ts';
import { parseUri } from '../../../src/drivers/uri.ts';

const env = { XDG_RUNTIME_DIR: '/run/user/1000', HOME: '/home/u' };

test('config defaults of the agent, api and http blocks', () => {
  const c = parseConfigText('', 'virtmon.yaml');
  assert.equal(c.http.listen, '127.0.0.1:9177');
  assert.equal(c.api.tcp, undefined);
  assert.deepEqual(c.agent, { driver: {}, stopTimeoutMs: 10_000 });
  const set = parseConfigText('agent:\n  runDir: /srv/run\n  driver: { emulator: /usr/bin/qemu-system-x86_64 }\n  stopTimeout: 2s\napi: { tcp: "127.0.0.1:9178" }\n', 'f.yaml');
  assert.deepEqual(set.agent, { runDir: '/srv/run', driver: { emulator: '/usr/bin/qemu-system-x86_64' }, stopTimeoutMs: 2000 });
  assert.equal(set.api.tcp, '127.0.0.1:9178');
  assert.throws(() => parseConfigText('agent:\n  runDir: relative/dir\n', 'f.yaml'), /f\.yaml:2: agent\.runDir: is malformed/);
  assert.throws(() => parseConfigText('api:\n  tcp: nowhere\n', 'f.yaml'), /f\.yaml:2: api\.tcp: is malformed/);
});

test('the agent\'s run directory: config, else /run/virtmon for a root system agent, else the user\'s runtime dir', () => {
  const system = parseConfigText('uri: qemu:///system\n', 'f');
  assert.equal(agentRunDir(system, env, 0), '/run/virtmon');
  assert.equal(agentRunDir(system, env, 1000), '/run/user/1000/virtmon');
  assert.equal(agentRunDir(parseConfigText('uri: qemu:///session\n', 'f'), env, 0), '/run/user/1000/virtmon');
  assert.equal(agentRunDir(parseConfigText('agent: { runDir: /x }\n', 'f'), env, 0), '/x');
});

test('the CLI finds the socket the agent listens on, as libvirt\'s remote driver does', () => {
  assert.equal(localSocketPath('/system', false, env), '/run/virtmon/virtmon-sock');
  assert.equal(localSocketPath('/system', true, env), '/run/virtmon/virtmon-sock-ro');
  assert.equal(localSocketPath('/session', false, env), '/run/user/1000/virtmon/virtmon-sock');
  assert.equal(localSocketPath('/session', false, { HOME: '/home/u' }), '/home/u/.cache/virtmon/run/virtmon-sock');
  const t = (uri: string, ro = false) => targetOf(parseUri(uri), ro, env);
  assert.deepEqual(t('qemu:///system'), { kind: 'unix', socketPath: '/run/virtmon/virtmon-sock', local: true });
  assert.deepEqual(t('qemu:///system', true), { kind: 'unix', socketPath: '/run/virtmon/virtmon-sock-ro', local: true });
  assert.deepEqual(t('qemu:///system?socket=/tmp/s'), { kind: 'unix', socketPath: '/tmp/s', local: false });
  assert.deepEqual(t('test+unix:///default?socket=/tmp/s'), { kind: 'unix', socketPath: '/tmp/s', local: false });
  assert.deepEqual(t('qemu+http://host.example:8000/system'), { kind: 'tcp', host: 'host.example', port: 8000, basePath: '', tls: false, credentials: {} });
  assert.deepEqual(t('qemu+tcp://host.example/system'), { kind: 'tcp', host: 'host.example', port: 9178, basePath: '', tls: false, credentials: {} });
  assert.deepEqual(t('qemu+https://host.example:9177/system'), { kind: 'tcp', host: 'host.example', port: 9177, basePath: '', tls: true, credentials: {} });
  assert.equal(t('test:///default'), 'declined');
  assert.throws(() => t('qemu+http:///system'), /the http transport needs a host/);
  assert.throws(() => t('qemu+tls://h/system'), /transport 'tls' is not supported/);
});
