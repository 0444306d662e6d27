/**
 * The `remote` block: who may use the control API over TCP (tokens and roles), whether peers other
 * than loopback are served at all, TLS (and client certificates), request limits and the image roots
 * API-defined domains must keep their files under. libvirtd.conf's auth_tcp / tls / max_* settings
 * in one place. Secrets are never stored: a token is its name, role and a hash of its secret.
 */
import { Type, type Static } from 'typebox';
import { Block, Strict } from './common.ts';

/** Roles in increasing power: read-only (GETs), operator (lifecycle), admin (define, undefine, config). */
export const ROLES = ['read-only', 'operator', 'admin'] as const;

/** `sha256:<64 hex>` or `scrypt:<N>:<r>:<p>:<salt b64>:<hash b64>` (what `virtmon token-hash` prints). */
export const TOKEN_HASH_PATTERN = '^(sha256:[0-9a-f]{64}|scrypt:[0-9]+:[0-9]+:[0-9]+:[A-Za-z0-9+/=_-]{16,}:[A-Za-z0-9+/=_-]{32,})$';

const TokenEntry = Strict({
  name: Type.String({ pattern: '^[A-Za-z0-9._@-]{1,64}$', description: 'shown in the audit log and logs' }),
  role: Type.Enum([...ROLES], { description: 'read-only, operator or admin' }),
  hash: Type.String({ pattern: TOKEN_HASH_PATTERN, description: 'sha256:HEX or scrypt:N:r:p:SALT:HASH (virtmon token-hash)' }),
  expires: Type.Optional(Type.String({ description: 'ISO 8601 time after which the token is refused' })),
}, 'one API token');

const TlsEntry = Strict({
  cert: Type.String({ description: 'PEM certificate chain of the listener' }),
  key: Type.String({ description: 'PEM private key of the listener' }),
  clientCa: Type.Optional(Type.String({ description: 'PEM CA bundle; clients must present a certificate it signed (mTLS)' })),
}, 'TLS for the TCP listener');

const LimitsEntry = Block({
  bodyBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 1024 * 1024, description: 'largest request body' }),
  xmlDepth: Type.Integer({ minimum: 4, maximum: 1024, default: 64, description: 'deepest XML element nesting accepted' }),
  ratePerSecond: Type.Number({ exclusiveMinimum: 0, default: 50, description: 'sustained requests per second per client' }),
  burst: Type.Integer({ minimum: 1, default: 100, description: 'requests a client may send at once before the rate applies' }),
  opsPerDomain: Type.Integer({ minimum: 1, maximum: 64, default: 1, description: 'changing requests in flight per domain; more get 409' }),
}, 'request limits of the control API');

export const RemoteBlock = Block({
  allowRemote: Type.Boolean({ default: false, description: 'serve the control API to peers other than loopback' }),
  tokens: Type.Array(TokenEntry, { default: [], maxItems: 1000, description: 'API tokens (hashed)' }),
  tls: Type.Optional(TlsEntry),
  limits: LimitsEntry,
  imageRoots: Type.Array(Type.String({ pattern: '^/' }), {
    default: ['/var/lib/virtmon/images'], description: 'directories the files of API-defined domains must lie under',
  }),
  emulators: Type.Array(Type.String({ pattern: '^/' }), {
    default: ['/usr/bin/qemu-system-x86_64'], description: 'emulator binaries an API-defined domain may name',
  }),
}, 'remote management: tokens, roles, TLS, limits, image roots');

/** One token after resolution (expiry as epoch ms). */
export interface ResolvedToken {
  readonly name: string;
  readonly role: (typeof ROLES)[number];
  readonly hash: string;
  readonly expiresAtMs?: number;
}

/** The `remote` block resolved. */
export interface ResolvedRemote {
  readonly allowRemote: boolean;
  readonly tokens: readonly ResolvedToken[];
  readonly tls?: Static<typeof TlsEntry>;
  readonly limits: Static<typeof LimitsEntry>;
  readonly imageRoots: readonly string[];
  readonly emulators: readonly string[];
}

/** Resolves the block; semantic problems go to `problems` with their key path. */
export function resolveRemote(raw: Static<typeof RemoteBlock>, problems: { path: (string | number)[]; message: string }[]): ResolvedRemote {
  const seen = new Set<string>();
  const tokens = raw.tokens.map((t, i): ResolvedToken => {
    if (seen.has(t.name)) problems.push({ path: ['remote', 'tokens', i, 'name'], message: `duplicate token name '${t.name}'` });
    seen.add(t.name);
    if (t.expires === undefined) return { name: t.name, role: t.role, hash: t.hash };
    const at = Date.parse(t.expires);
    if (!/^\d{4}-\d\d-\d\d/.test(t.expires) || Number.isNaN(at)) {
      problems.push({ path: ['remote', 'tokens', i, 'expires'], message: `is not an ISO 8601 time (got ${JSON.stringify(t.expires)})` });
    }
    return { name: t.name, role: t.role, hash: t.hash, expiresAtMs: Number.isNaN(at) ? 0 : at };
  });
  if (raw.allowRemote && raw.tokens.length === 0) {
    problems.push({ path: ['remote', 'allowRemote'], message: 'remote access needs at least one token in remote.tokens' });
  }
  if (raw.allowRemote && raw.tls === undefined) {
    problems.push({ path: ['remote', 'allowRemote'], message: 'remote access needs remote.tls (tokens must not cross the network in clear text)' });
  }
  return {
    allowRemote: raw.allowRemote,
    tokens,
    ...(raw.tls === undefined ? {} : { tls: raw.tls }),
    limits: raw.limits,
    imageRoots: raw.imageRoots,
    emulators: raw.emulators,
  };
}
