/** What the security hooks read off a request: the route's declared access, the client, the bearer token. */
import type { FastifyRequest } from 'fastify';
import { isAccessLevel, type AccessLevel } from './roles.ts';

/** Routes that keep their own, lighter policy (the Prometheus scrape, health probes). */
export const DEFAULT_EXEMPT_ROUTES: readonly string[] = ['/metrics', '/healthz', '/readyz'];

/**
 * The access level a request needs: the route's `config.access`; `read` when no route matched (a
 * 404 still needs a valid token, so probing for URLs needs one); `admin` when a route forgot to
 * declare one (fail closed).
 */
export function requiredAccess(request: FastifyRequest): AccessLevel {
  if (request.is404) return 'read';
  const access = (request.routeOptions.config as { access?: unknown }).access;
  return isAccessLevel(access) ? access : 'admin';
}

/** True when the route is exempt from token auth. */
export function isExempt(request: FastifyRequest, exempt: readonly string[]): boolean {
  const url = request.routeOptions.url;
  return !request.is404 && url !== undefined && exempt.includes(url);
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Longest token accepted; anything longer is refused before it is hashed. */
export const MAX_TOKEN_LENGTH = 512;

/** The bearer token of the request, or why there is none. */
export function bearerToken(request: FastifyRequest): { readonly token: string } | { readonly problem: 'missing' | 'malformed' } {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return { problem: 'missing' };
  const m = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  if (m === null || m[1] === undefined || m[1].length > MAX_TOKEN_LENGTH) return { problem: 'malformed' };
  return { token: m[1] };
}
