import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { parseClientConfig } from '../../../src/cli/client-config.ts';
import { remoteCredentials } from '../../../src/cli/remote-credentials.ts';

const FILES: Record<string, string> = {
  '/home/u/.config/virtmon/tok': 'file-token-123\nsecond line\n',
  '/etc/pki/ca.pem': '-----BEGIN CERTIFICATE-----\nCA\n',
  '/home/u/.config/virtmon/me.pem': 'CERT', '/home/u/.config/virtmon/me.key': 'KEY',
};
const readFile = (p: string): Buffer => {
  const text = FILES[p];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  return Buffer.from(text);
};
const FILE = '/home/u/.config/virtmon/client.yaml';
const config = (text: string) => parseClientConfig(text, FILE);

test('VIRTMON_TOKEN wins over the config file; token_file (relative to the config) over token', () => {
  const c = config('token: inline-token\ntoken_file: tok\ntls_ca: /etc/pki/ca.pem\ntls_cert: me.pem\ntls_key: me.key\n');
  assert.deepEqual(remoteCredentials({ VIRTMON_TOKEN: 'env-token' }, c, readFile).token, 'env-token');
  const creds = remoteCredentials({}, c, readFile);
  assert.equal(creds.token, 'file-token-123');
  assert.equal(creds.ca?.toString(), FILES['/etc/pki/ca.pem']);
  assert.deepEqual([creds.cert?.toString(), creds.key?.toString()], ['CERT', 'KEY']);
  assert.equal(remoteCredentials({}, config('token: inline-token\n'), readFile).token, 'inline-token');
  assert.deepEqual(remoteCredentials({}, config(''), readFile), {});
});

test('problems name the client config file, line and key, never the token', () => {
  const failure = (fn: () => unknown): VirtmonError => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof VirtmonError);
      return err;
    }
    assert.fail('expected an error');
  };
  const missing = failure(() => remoteCredentials({}, config('uri_default: qemu+https://h:9178/system\ntoken_file: nope\n'), readFile));
  assert.equal(missing.message, `invalid configuration: ${FILE}:2: token_file: cannot read /home/u/.config/virtmon/nope: ENOENT`);
  const spaced = failure(() => remoteCredentials({}, config('token: "two words secret"\n'), readFile));
  assert.equal(spaced.message, `invalid configuration: ${FILE}:1: token: must be printable ASCII without spaces`);
  assert.ok(!spaced.message.includes('two words'));
  const half = failure(() => remoteCredentials({}, config('tls_cert: me.pem\n'), readFile));
  assert.match(half.message, /:1: tls_key: tls_cert and tls_key go together/);
  const env = failure(() => remoteCredentials({ VIRTMON_TOKEN: 'has space' }, config(''), readFile));
  assert.equal(env.message, 'invalid argument: VIRTMON_TOKEN must be printable ASCII without spaces (at most 512 characters)');
  assert.throws(() => config('token: [a]\n'), /client\.yaml:1: token: must be a string \(an API token\)/);
});
