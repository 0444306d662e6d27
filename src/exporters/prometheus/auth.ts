/**
 * Optional protection of /metrics (config `metrics.auth`, off by default): HTTP basic auth against
 * configured users with hashed passwords, and/or bearer tokens given as hashes. A request without a
 * valid credential gets 401 with a `WWW-Authenticate` challenge and no body beyond a short reason.
 *
 * scrypt is slow by design (~50 ms), and Prometheus presents the same credential every scrape, so the
 * sha256 of credentials that verified is remembered (bounded); only that digest is kept, not the secret.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VirtmonError } from '../../domain/errors.ts';
import { parseSecretHash, safeEqual } from './secret-hash.ts';
import type { SecretVerifier } from './secret-hash.ts';

/** `metrics.auth` as configured. */
export interface MetricsAuthConfig {
  readonly basic?: readonly { readonly username: string; readonly passwordHash: string }[];
  readonly bearer?: readonly string[];
}

/** Checks the Authorization header of a request. */
export interface MetricsAuth {
  readonly schemes: readonly ('Basic' | 'Bearer')[];
  check(authorization: string | undefined): Promise<boolean>;
}

const REMEMBER = 32;

/** Validates `metrics.auth`; undefined when neither basic users nor bearer tokens are configured. */
export function resolveMetricsAuth(config: MetricsAuthConfig | undefined, key = 'metrics.auth'): MetricsAuth | undefined {
  const basic = (config?.basic ?? []).map((u, i) => {
    if (typeof u.username !== 'string' || u.username === '' || u.username.includes(':')) {
      throw new VirtmonError('VIRTMON_ERR_CONFIG', `${key}.basic[${i}].username: must be a non-empty name without ':'`, { key });
    }
    return { username: u.username, verifier: parseSecretHash(u.passwordHash, `${key}.basic[${i}].passwordHash`) };
  });
  const bearer: SecretVerifier[] = (config?.bearer ?? []).map((h, i) => parseSecretHash(h, `${key}.bearer[${i}]`));
  if (basic.length === 0 && bearer.length === 0) return undefined;
  const remembered = new Set<string>();
  const schemes: ('Basic' | 'Bearer')[] = [];
  if (basic.length > 0) schemes.push('Basic');
  if (bearer.length > 0) schemes.push('Bearer');

  const verify = async (authorization: string): Promise<boolean> => {
    const space = authorization.indexOf(' ');
    if (space < 0) return false;
    const scheme = authorization.slice(0, space).toLowerCase();
    const value = authorization.slice(space + 1).trim();
    if (scheme === 'bearer') {
      for (const v of bearer) if (await v.verify(value)) return true;
      return false;
    }
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return false;
      const user = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      let ok = false;
      for (const u of basic) {
        // Every user is checked, so the time does not tell which names exist.
        if (safeEqual(user, u.username) && await u.verifier.verify(password)) ok = true;
      }
      return ok;
    }
    return false;
  };

  return {
    schemes,
    check: async (authorization) => {
      if (authorization === undefined || authorization === '') return false;
      const digest = createHash('sha256').update(authorization).digest('hex');
      if (remembered.has(digest)) return true;
      if (!(await verify(authorization))) return false;
      if (remembered.size >= REMEMBER) remembered.clear();
      remembered.add(digest);
      return true;
    },
  };
}

/** A fastify onRequest hook answering 401 unless the request carries a valid credential. */
export function authHook(auth: MetricsAuth) {
  const challenge = auth.schemes.map((s) => `${s} realm="virtmon"`).join(', ');
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (await auth.check(request.headers.authorization)) return;
    await reply.code(401).header('www-authenticate', challenge).type('text/plain; charset=utf-8').send('unauthorized\n');
  };
}
