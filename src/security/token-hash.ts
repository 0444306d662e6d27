/**
 * Token secrets are stored only as hashes: `sha256:<hex>` for generated 256-bit secrets (nothing to
 * brute-force, and cheap to check on every request) or `scrypt:N:r:p:<salt>:<hash>` for secrets a
 * person chose. Comparison is constant-time (crypto.timingSafeEqual) on equal-length digests.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { VirtmonError } from '../domain/errors.ts';

/** Hash algorithms a token may be stored with. */
export type TokenHashAlgorithm = 'sha256' | 'scrypt';

/** scrypt cost used by {@link hashTokenSecret}: about 50 ms and 16 MiB on a small core. */
export const SCRYPT_DEFAULTS = { N: 16384, r: 8, p: 1 } as const;

/** A stored hash, parsed. */
export type ParsedTokenHash =
  | { readonly alg: 'sha256'; readonly digest: Buffer }
  | { readonly alg: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: Buffer; readonly digest: Buffer };

/** Parses `sha256:…` / `scrypt:…`; throws VIR_ERR_INVALID_ARG naming what is wrong (never the value). */
export function parseTokenHash(text: string): ParsedTokenHash {
  const parts = text.split(':');
  if (parts[0] === 'sha256' && parts.length === 2 && /^[0-9a-f]{64}$/.test(parts[1] ?? '')) {
    return { alg: 'sha256', digest: Buffer.from(parts[1] ?? '', 'hex') };
  }
  if (parts[0] === 'scrypt' && parts.length === 6) {
    const [N, r, p] = parts.slice(1, 4).map(Number);
    const salt = Buffer.from(parts[4] ?? '', 'base64');
    const digest = Buffer.from(parts[5] ?? '', 'base64');
    const powerOfTwo = N !== undefined && N > 1 && (N & (N - 1)) === 0;
    if (powerOfTwo && N <= 1 << 20 && r !== undefined && r >= 1 && r <= 32 && p !== undefined && p >= 1 && p <= 16 &&
      salt.length >= 8 && digest.length >= 16) {
      return { alg: 'scrypt', N, r, p, salt, digest };
    }
  }
  throw new VirtmonError('VIR_ERR_INVALID_ARG', 'token hash must be sha256:<64 hex digits> or scrypt:N:r:p:<salt>:<hash> (N a power of two)');
}

/** sha256 of a secret (also the cache key of verified scrypt secrets). */
export function sha256Of(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function scryptAsync(secret: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, options, (err, key) => (err === null ? resolve(key) : reject(err)));
  });
}

/** scrypt's memory need is 128·N·r bytes; maxmem must allow it. */
const scryptOptions = (h: { N: number; r: number; p: number }): ScryptOptions =>
  ({ N: h.N, r: h.r, p: h.p, maxmem: 256 * h.N * h.r + 1024 * 1024 });

/** Hashes a secret for the config file. */
export async function hashTokenSecret(secret: string, alg: TokenHashAlgorithm = 'sha256'): Promise<string> {
  if (alg === 'sha256') return `sha256:${sha256Of(secret).toString('hex')}`;
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, 32, scryptOptions(SCRYPT_DEFAULTS));
  const { N, r, p } = SCRYPT_DEFAULTS;
  return `scrypt:${N}:${r}:${p}:${salt.toString('base64')}:${key.toString('base64')}`;
}

/** A new random secret: 32 bytes, base64url (43 characters). */
export function generateTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time equality of two digests (false, still in constant time for equal lengths, on a mismatch). */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when `secret` matches the parsed hash. */
export async function secretMatches(secret: string, hash: ParsedTokenHash): Promise<boolean> {
  if (hash.alg === 'sha256') return digestsEqual(sha256Of(secret), hash.digest);
  const key = await scryptAsync(secret, hash.salt, hash.digest.length, scryptOptions(hash));
  return digestsEqual(key, hash.digest);
}
