import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientConfigPath, loadClientConfig, parseClientConfig } from '../../../src/cli/client-config.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';

test('the config path: env, then root, then XDG or ~/.config', () => {
  assert.equal(clientConfigPath({ env: { VIRTMON_CLIENT_CONFIG: '/x.yaml' }, uid: 0, homedir: '/root' }), '/x.yaml');
  assert.equal(clientConfigPath({ env: {}, uid: 0, homedir: '/root' }), '/etc/virtmon/client.yaml');
  assert.equal(clientConfigPath({ env: { XDG_CONFIG_HOME: '/xdg' }, uid: 1000, homedir: '/home/u' }), '/xdg/virtmon/client.yaml');
  assert.equal(clientConfigPath({ env: {}, uid: 1000, homedir: '/home/u' }), '/home/u/.config/virtmon/client.yaml');
});

test('uri_default and uri_aliases are read', () => {
  const cfg = parseClientConfig('uri_default: qemu:///system\nuri_aliases:\n  - dev=test:///default\n  - hail=qemu+https://hail/system\n', 'c.yaml');
  assert.equal(cfg.uriDefault, 'qemu:///system');
  assert.deepEqual([...cfg.aliases], [['dev', 'test:///default'], ['hail', 'qemu+https://hail/system']]);
  assert.equal(parseClientConfig('', 'c.yaml').aliases.size, 0);
  assert.equal(parseClientConfig('# only a comment\n', 'c.yaml').uriDefault, undefined);
});

const configError = (text: string, message: string, line: number, key?: string) => {
  assert.throws(() => parseClientConfig(text, '/etc/virtmon/client.yaml'), (e) => {
    assert.ok(e instanceof VirtmonError);
    assert.equal(e.code, 'VIRTMON_ERR_CONFIG');
    assert.equal(e.message, `invalid configuration: /etc/virtmon/client.yaml:${line}: ${message}`);
    assert.equal(e.file, '/etc/virtmon/client.yaml');
    assert.equal(e.line, line);
    assert.equal(e.key, key);
    return true;
  });
};

test('an unknown key or a wrong type names the file, line and key', () => {
  configError('uri_default: test:///default\nuri_defualt: x\n',
    "uri_defualt: unknown key 'uri_defualt' (known keys: uri_default, uri_aliases, token, token_file, tls_ca, tls_cert, tls_key)", 2, 'uri_defualt');
  configError('uri_default:\n  - a\n', 'uri_default: must be a string (a connection URI)', 2, 'uri_default');
  configError('uri_default: 42\n', 'uri_default: must be a string (a connection URI)', 1, 'uri_default');
  configError('uri_aliases: dev=test:///default\n', 'uri_aliases: must be a list of NAME=URI strings', 1, 'uri_aliases');
  configError('uri_aliases:\n  - dev=test:///default\n  - bad name=x\n',
    "uri_aliases.1: malformed uri_aliases entry 'bad name=x': expected NAME=URI, NAME made of A-Za-z0-9_-", 3, 'uri_aliases.1');
  configError('- a\n- b\n', 'the file must hold a mapping with the keys uri_default, uri_aliases, token, token_file, tls_ca, tls_cert, tls_key', 1);
});

test('YAML syntax errors carry their line', () => {
  assert.throws(() => parseClientConfig('uri_default: a\nuri_default: b\n', 'f.yaml'),
    (e) => e instanceof VirtmonError && e.line === 2 && e.message.startsWith('invalid configuration: f.yaml:2: '));
});

test('a missing file is an empty config; a present one is loaded', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-cli-cfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(loadClientConfig(join(dir, 'absent.yaml')).aliases.size, 0);
  const file = join(dir, 'client.yaml');
  writeFileSync(file, 'uri_default: test:///default\n');
  assert.equal(loadClientConfig(file).uriDefault, 'test:///default');
});
