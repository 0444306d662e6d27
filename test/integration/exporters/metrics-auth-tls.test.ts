/**
 * /metrics protection: basic auth (scrypt-hashed password) and bearer tokens (sha256), 401 with a
 * challenge otherwise; config errors for plain or malformed hashes; HTTPS from http.tls files on a real
 * listener (self-signed certificate made with openssl in a temp dir).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { prometheusOptionsFromConfig } from '../../../src/exporters/prometheus/options.ts';
import { hashSecret } from '../../../src/exporters/prometheus/secret-hash.ts';
import { httpsOptions } from '../../../src/exporters/prometheus/tls.ts';
import { config, goldenSnapshot, metricsApp } from '../../helpers/metrics-harness.ts';
import { tempDir } from '../../helpers/test-driver.ts';

const { store, tc } = await goldenSnapshot();
const tmp = tempDir();
after(async () => {
  await tc.conn.close();
  tmp.cleanup();
});

const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

test('basic auth and bearer tokens: 401 with a challenge without a valid credential, 200 with one', async () => {
  const passwordHash = await hashSecret('s3cret pass');
  const tokenHash = await hashSecret('tok-0123456789abcdef', 'sha256');
  const yaml = `metrics:\n  auth:\n    basic: [{ username: prom, passwordHash: "${passwordHash}" }]\n    bearer: ["${tokenHash}"]\n`;
  const { app } = await metricsApp(store, prometheusOptionsFromConfig(config(yaml)));
  try {
    const none = await app.inject({ url: '/metrics' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['www-authenticate'], 'Basic realm="virtmon", Bearer realm="virtmon"');
    assert.doesNotMatch(none.body, /libvirt_/);
    for (const bad of [basic('prom', 'wrong'), basic('other', 's3cret pass'), 'Bearer nope', 'Bearer', 'Digest x', basic('prom', '')]) {
      assert.equal((await app.inject({ url: '/metrics', headers: { authorization: bad } })).statusCode, 401, bad);
    }
    const ok = await app.inject({ url: '/metrics', headers: { authorization: basic('prom', 's3cret pass') } });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /^libvirt_up 1$/m);
    // Second time from the remembered digest (no scrypt), same answer.
    assert.equal((await app.inject({ url: '/metrics', headers: { authorization: basic('prom', 's3cret pass') } })).statusCode, 200);
    assert.equal((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer tok-0123456789abcdef' } })).statusCode, 200);
  } finally {
    await app.close();
  }
});

test('metrics.auth takes hashes only: a plain or malformed secret is a config error naming the key', () => {
  const bad = (auth: string): unknown => {
    try {
      prometheusOptionsFromConfig(config(`metrics:\n  auth: ${auth}\n`));
    } catch (err) {
      return err;
    }
    return undefined;
  };
  const plain = bad('{ bearer: ["hunter2"] }');
  assert.ok(plain instanceof VirtmonError && plain.code === 'VIRTMON_ERR_CONFIG' && plain.key === 'metrics.auth.bearer[0]', String(plain));
  assert.match(String((plain as Error).message), /hashed secret/);
  const scrypt = bad('{ basic: [{ username: a, passwordHash: "scrypt:1000:8:1:AAAA:BBBB" }] }');
  assert.ok(scrypt instanceof VirtmonError && scrypt.key === 'metrics.auth.basic[0].passwordHash', String(scrypt));
  const sha = bad('{ bearer: ["sha256:abc"] }');
  assert.ok(sha instanceof VirtmonError && /64 hex digits/.test(sha.message), String(sha));
  // Off by default.
  assert.equal(prometheusOptionsFromConfig(config()).auth, undefined);
});

test('http.tls: HTTPS with the configured certificate; unreadable files are config errors', async () => {
  const cert = join(tmp.dir, 'cert.pem');
  const key = join(tmp.dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const cfg = config(`http:\n  tls: { cert: ${cert}, key: ${key} }\n`);
  const https = httpsOptions(cfg.http.tls);
  assert.ok(https !== undefined);
  const { app } = await metricsApp(store, prometheusOptionsFromConfig(cfg), { https });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address !== null && typeof address === 'object');
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: address.port, path: '/metrics', ca: https.cert }, (res) => {
        let s = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { s += c; });
        res.on('end', () => { resolve(s); });
      });
      req.on('error', reject);
      req.end();
    });
    assert.match(body, /^libvirt_up 1$/m);
  } finally {
    await app.close();
  }
  writeFileSync(join(tmp.dir, 'garbage.pem'), 'not a key');
  assert.throws(() => httpsOptions({ cert: join(tmp.dir, 'missing.pem'), key }), (e: unknown) =>
    e instanceof VirtmonError && e.key === 'http.tls.cert' && /missing\.pem/.test(e.message));
  assert.throws(() => httpsOptions({ cert, key: join(tmp.dir, 'garbage.pem') }), (e: unknown) =>
    e instanceof VirtmonError && e.key === 'http.tls');
  assert.equal(httpsOptions(config().http.tls), undefined);
});
