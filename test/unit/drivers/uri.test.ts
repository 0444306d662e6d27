import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandAlias, formatUri, parseAliases, parseUri, resolveUri } from '../../../src/drivers/uri.ts';

test('parses libvirt URI shapes', () => {
  assert.deepEqual(
    { ...parseUri('qemu:///system') },
    { raw: 'qemu:///system', driver: 'qemu', host: '', path: '/system', params: {} },
  );
  const remote = parseUri('qemu+https://admin@host.example:9177/system?socket=/run/x.sock');
  assert.equal(remote.driver, 'qemu');
  assert.equal(remote.transport, 'https');
  assert.equal(remote.user, 'admin');
  assert.equal(remote.host, 'host.example');
  assert.equal(remote.port, 9177);
  assert.equal(remote.params.socket, '/run/x.sock');
  assert.equal(parseUri('test:///abs/path/node.xml').path, '/abs/path/node.xml');
  assert.equal(formatUri(remote), 'qemu+https://admin@host.example:9177/system?socket=%2Frun%2Fx.sock');
});

test('rejects what is not a URI', () => {
  assert.throws(() => parseUri('not a uri'), /could not parse connection URI 'not a uri'/);
});

test('aliases and the default chain', () => {
  const aliases = parseAliases(['hail=qemu+https://hail.example.com/system', 'dev=test:///default']);
  assert.equal(expandAlias('hail', aliases), 'qemu+https://hail.example.com/system');
  assert.throws(() => parseAliases(['bad name=test:///default']), /malformed uri_aliases entry/);
  assert.throws(() => expandAlias('nope', aliases), /no connection driver available for nope/);
  assert.equal(resolveUri({}, aliases).raw, 'test:///default');
  assert.equal(resolveUri({ configDefault: 'qemu:///session' }, aliases).raw, 'qemu:///session');
  assert.equal(resolveUri({ env: 'dev', configDefault: 'qemu:///session' }, aliases).raw, 'test:///default');
  assert.equal(resolveUri({ flag: 'qemu:///system', env: 'dev' }, aliases).raw, 'qemu:///system');
});
