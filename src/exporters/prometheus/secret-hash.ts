/**
 * Hashed secrets for /metrics protection (config `metrics.auth`): the config holds only hashes, never a
 * password or token. Two forms:
 *
 * - `scrypt:N:r:p:SALT:HASH` (SALT and HASH base64): slow on purpose, for passwords people choose;
 * - `sha256:HEX`: for long random tokens, where a slow hash adds nothing.
 *
 * Comparison is constant-time (`timingSafeEqual`). `scripts/hash-secret.ts` prints a hash for a secret.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { VirtmonError } from '../../domain/errors.ts';

/** Checks a presented secret against one configured hash. */
export interface SecretVerifier {
  verify(presented: string): Promise<boolean>;
}

function scrypt(secret: string, salt: Buffer, keylen: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(secret, salt, keylen, o, (err, key) => { if (err === null) resolve(key); else reject(err); });
  });
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

function invalid(key: string, detail: string): VirtmonError {
  return new VirtmonError('VIRTMON_ERR_CONFIG', `${key}: ${detail}`, { key });
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses a configured hash; a malformed one is a config error naming `key`. */
export function parseSecretHash(hash: string, key: string): SecretVerifier {
  if (hash.startsWith('sha256:')) {
    const hex = hash.slice(7);
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw invalid(key, 'a sha256 hash is `sha256:` and 64 hex digits');
    const want = Buffer.from(hex, 'hex');
    return { verify: (presented) => Promise.resolve(timingSafeEqual(sha256(presented), want)) };
  }
  if (hash.startsWith('scrypt:')) {
    const [, n, r, p, salt, digest] = hash.split(':');
    const N = Number(n);
    const R = Number(r);
    const P = Number(p);
    if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || !Number.isInteger(R) || R < 1 || !Number.isInteger(P) || P < 1
      || salt === undefined || !B64.test(salt) || digest === undefined || !B64.test(digest)) {
      throw invalid(key, 'an scrypt hash is `scrypt:N:r:p:SALT:HASH` (N a power of two, SALT and HASH base64)');
    }
    const saltBuf = Buffer.from(salt, 'base64');
    const want = Buffer.from(digest, 'base64');
    const o: ScryptOptions = { N, r: R, p: P, maxmem: 256 * N * R + 1024 * 1024 };
    return {
      verify: async (presented) => timingSafeEqual(await scrypt(presented, saltBuf, want.length, o), want),
    };
  }
  throw invalid(key, 'expected a hashed secret (`scrypt:…` or `sha256:…`), not a plain secret; see scripts/hash-secret.ts');
}

/** A hash of `secret` for the config (`scrypt` by default; `sha256` for long random tokens). */
export async function hashSecret(secret: string, kind: 'scrypt' | 'sha256' = 'scrypt'): Promise<string> {
  if (kind === 'sha256') return `sha256:${sha256(secret).toString('hex')}`;
  const salt = randomBytes(16);
  const N = 16384;
  const key = await scrypt(secret, salt, 32, { N, r: 8, p: 1 });
  return `scrypt:${N}:8:1:${salt.toString('base64')}:${key.toString('base64')}`;
}

/** Constant-time equality of two strings (compared through their sha256, so lengths do not leak). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
