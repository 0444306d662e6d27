/**
 * Checks a presented secret against the configured tokens. Every token is compared (no early exit),
 * so the time taken does not say which token nearly matched. scrypt results are remembered by the
 * secret's sha256 so a client pays the scrypt cost once, not on every request.
 */
import type { ResolvedToken } from '../config/blocks/auth.ts';
import type { Role } from './roles.ts';
import { digestsEqual, parseTokenHash, secretMatches, sha256Of, type ParsedTokenHash } from './token-hash.ts';

/** Who a valid token says the caller is. Never holds the secret. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

/** The outcome of a check: a principal, or why not (`expired` names the token, for the log). */
export type VerifyResult =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'unknown' }
  | { readonly ok: false; readonly reason: 'expired'; readonly name: string };

/** Verifies bearer secrets. */
export interface TokenVerifier {
  verify(secret: string): Promise<VerifyResult>;
}

interface Entry {
  readonly token: ResolvedToken;
  readonly hash: ParsedTokenHash;
}

/** Builds a verifier; `now` is the clock (epoch ms). Bad hashes throw here, at start, not per request. */
export function createTokenVerifier(tokens: readonly ResolvedToken[], now: () => number): TokenVerifier {
  const entries: Entry[] = tokens.map((token) => ({ token, hash: parseTokenHash(token.hash) }));
  // sha256(secret) → token name, for scrypt tokens verified before; bounded by the token count.
  const scryptHits = new Map<string, string>();
  const resultFor = (token: ResolvedToken): VerifyResult =>
    token.expiresAtMs !== undefined && now() >= token.expiresAtMs
      ? { ok: false, reason: 'expired', name: token.name }
      : { ok: true, principal: { name: token.name, role: token.role } };

  return {
    async verify(secret) {
      const digest = sha256Of(secret);
      let match: ResolvedToken | undefined;
      for (const e of entries) {
        if (e.hash.alg === 'sha256' && digestsEqual(digest, e.hash.digest) && match === undefined) match = e.token;
      }
      if (match !== undefined) return resultFor(match);
      const key = digest.toString('hex');
      const remembered = scryptHits.get(key);
      if (remembered !== undefined) {
        const token = entries.find((e) => e.token.name === remembered)?.token;
        if (token !== undefined) return resultFor(token);
      }
      for (const e of entries) {
        if (e.hash.alg !== 'scrypt' || !(await secretMatches(secret, e.hash))) continue;
        if (scryptHits.size >= entries.length) scryptHits.clear();
        scryptHits.set(key, e.token.name);
        return resultFor(e.token);
      }
      return { ok: false, reason: 'unknown' };
    },
  };
}
