import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenVerifier } from '../../../src/security/token-verifier.ts';
import { runVirtmon } from '../cli/run-cli.ts';

test('token-hash --generate prints a secret and a hash the verifier accepts', async () => {
  const r = await runVirtmon(['token-hash --generate']);
  assert.equal(r.code, 0, r.stderr);
  const m = /^secret: ([A-Za-z0-9_-]{43})\nhash: (sha256:[0-9a-f]{64})\n/.exec(r.stdout);
  assert.ok(m !== null, r.stdout);
  const verifier = createTokenVerifier([{ name: 'gen', role: 'admin', hash: m[2] ?? '' }], Date.now);
  assert.deepEqual(await verifier.verify(m[1] ?? ''), { ok: true, principal: { name: 'gen', role: 'admin' } });
});

test('token-hash --secret-file hashes the first line (sha256 or scrypt); bad use is an error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-tok-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 's'), 'abcdefgh12345\nignored\n');
  const sha = await runVirtmon([`token-hash --secret-file ${join(dir, 's')}`]);
  assert.equal(sha.stdout, 'sha256:434ba46acedf7238e5601befd2240b727ba790e847f7ec2359e6be6fcdfe3e2f\n\n');
  const scrypt = await runVirtmon([`token-hash --scrypt --secret-file ${join(dir, 's')}`]);
  const hash = scrypt.stdout.trim();
  assert.match(hash, /^scrypt:16384:8:1:/);
  assert.equal((await createTokenVerifier([{ name: 'h', role: 'operator', hash }], Date.now).verify('abcdefgh12345')).ok, true);
  const neither = await runVirtmon(['token-hash']);
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /exactly one of --generate and --secret-file is required/);
  writeFileSync(join(dir, 'short'), 'abc\n');
  assert.match((await runVirtmon([`token-hash --secret-file ${join(dir, 'short')}`])).stderr, /must be 8 to 512 printable ASCII/);
  assert.match((await runVirtmon([`token-hash --secret-file ${join(dir, 'missing')}`])).stderr, /cannot read .*missing/);
});
