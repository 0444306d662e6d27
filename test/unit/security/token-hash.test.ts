import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { generateTokenSecret, hashTokenSecret, parseTokenHash, secretMatches } from '../../../src/security/token-hash.ts';
import { createTokenVerifier } from '../../../src/security/token-verifier.ts';
import { roleAllows } from '../../../src/security/roles.ts';

test('sha256 and scrypt hashes verify their secret and nothing else', async () => {
  for (const alg of ['sha256', 'scrypt'] as const) {
    const hash = await hashTokenSecret('s3cret', alg);
    assert.match(hash, alg === 'sha256' ? /^sha256:[0-9a-f]{64}$/ : /^scrypt:16384:8:1:/);
    assert.equal(await secretMatches('s3cret', parseTokenHash(hash)), true);
    assert.equal(await secretMatches('s3cret ', parseTokenHash(hash)), false);
    assert.equal(await secretMatches('', parseTokenHash(hash)), false);
  }
});

test('two scrypt hashes of one secret differ (salted); generated secrets are 256-bit base64url', async () => {
  assert.notEqual(await hashTokenSecret('x', 'scrypt'), await hashTokenSecret('x', 'scrypt'));
  const s = generateTokenSecret();
  assert.match(s, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(s, generateTokenSecret());
});

test('malformed hashes are refused without echoing them', () => {
  for (const bad of ['sha256:abc', 'md5:00', 'scrypt:1000:8:1:c2FsdHNhbHRzYWx0:aGFzaGhhc2hoYXNoaGFzaA==', 'plain']) {
    assert.throws(() => parseTokenHash(bad), (err: unknown) =>
      err instanceof VirtmonError && err.code === 'VIR_ERR_INVALID_ARG' && !err.message.includes(bad));
  }
});

test('verifier: expiry is checked against the clock at each request', async () => {
  let now = 1000;
  const v = createTokenVerifier([{ name: 't', role: 'operator', hash: await hashTokenSecret('abc'), expiresAtMs: 2000 }], () => now);
  assert.deepEqual(await v.verify('abc'), { ok: true, principal: { name: 't', role: 'operator' } });
  now = 2000;
  assert.deepEqual(await v.verify('abc'), { ok: false, reason: 'expired', name: 't' });
  assert.deepEqual(await v.verify('abd'), { ok: false, reason: 'unknown' });
});

test('roles grant their level and the ones below', () => {
  assert.deepEqual(['read', 'operator', 'admin'].map((a) => roleAllows('read-only', a as 'read')), [true, false, false]);
  assert.deepEqual(['read', 'operator', 'admin'].map((a) => roleAllows('operator', a as 'read')), [true, true, false]);
  assert.deepEqual(['read', 'operator', 'admin'].map((a) => roleAllows('admin', a as 'read')), [true, true, true]);
});

test('config: the remote block defaults to loopback-only with no tokens', () => {
  const c = parseConfigText('', 'v.yaml');
  assert.equal(c.remote.allowRemote, false);
  assert.deepEqual(c.remote.tokens, []);
  assert.equal(c.remote.limits.bodyBytes, 1024 * 1024);
  assert.equal(c.remote.limits.opsPerDomain, 1);
  assert.deepEqual(c.remote.imageRoots, ['/var/lib/virtmon/images']);
});

test('config: tokens resolve with expiry; bad hash, role, expiry and duplicate names name their line', () => {
  const hash = `sha256:${'a'.repeat(64)}`;
  const c = parseConfigText([
    'remote:',
    '  tokens:',
    `    - { name: ops, role: operator, hash: "${hash}", expires: "2027-01-01T00:00:00Z" }`,
  ].join('\n'), 'v.yaml');
  assert.deepEqual(c.remote.tokens, [{ name: 'ops', role: 'operator', hash, expiresAtMs: Date.parse('2027-01-01T00:00:00Z') }]);
  const err = (() => {
    try {
      parseConfigText([
        'remote:',
        '  allowRemote: true',
        '  tokens:',
        `    - { name: ops, role: operator, hash: "${hash}", expires: "soon" }`,
        `    - { name: ops, role: root, hash: "sha256:xyz" }`,
      ].join('\n'), 'v.yaml');
    } catch (e) {
      return e as VirtmonError;
    }
    assert.fail('expected a config error');
  })();
  assert.equal(err.code, 'VIRTMON_ERR_CONFIG');
  assert.match(err.message, /v\.yaml:5: remote\.tokens\.1\.role: must be one of "read-only", "operator", "admin"/);
  assert.match(err.message, /v\.yaml:5: remote\.tokens\.1\.hash: is malformed/);
});

test('config: remote access needs TLS and a token', () => {
  assert.throws(() => parseConfigText('remote:\n  allowRemote: true\n', 'v.yaml'), (err: unknown) =>
    err instanceof VirtmonError && /v\.yaml:2: remote\.allowRemote: remote access needs at least one token/.test(err.message) &&
    /remote access needs remote\.tls/.test(err.message));
});

test('API audit records map onto the Actions audit log line shape', async () => {
  const { apiAuditLine } = await import('../../../src/security/audit-entry.ts');
  const base = { time: 't', client: '127.0.0.1', method: 'POST', route: '/api/v1/domains/:domain/destroy', params: { domain: 'web1' }, durationMs: 3 };
  assert.deepEqual(apiAuditLine({ ...base, actor: 'op', role: 'operator', status: 200 }), {
    time: 't', source: 'api', actor: 'op', action: 'http POST /api/v1/domains/:domain/destroy', domain: 'web1', outcome: 'done',
    detail: { status: 200, client: '127.0.0.1', durationMs: 3, role: 'operator' },
  });
  assert.equal(apiAuditLine({ ...base, actor: null, role: null, status: 429, code: 'VIRTMON_ERR_RATE_LIMITED' }).outcome, 'rate_limited');
  assert.equal(apiAuditLine({ ...base, actor: null, role: null, status: 401, code: 'VIR_ERR_AUTH_FAILED' }).outcome, 'refused');
  assert.equal(apiAuditLine({ ...base, actor: 'op', role: 'operator', status: 500 }).outcome, 'failed');
});
