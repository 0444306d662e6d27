/** Protection of the HTTP listener and of /metrics: TLS files and metrics.auth (both off by default). */
import { Type } from 'typebox';
import { Strict } from './common.ts';

/** `http.tls`: serve HTTPS with these PEM files. */
export const HttpTlsBlock = Type.Optional(Strict({
  cert: Type.String({ minLength: 1, description: 'PEM certificate (chain) file' }),
  key: Type.String({ minLength: 1, description: 'PEM private key file' }),
}, 'serve HTTPS instead of HTTP'));

/** `metrics.auth`: basic-auth users and/or bearer tokens, given as hashes (scripts/hash-secret.ts). */
export const MetricsAuthBlock = Type.Optional(Strict({
  basic: Type.Optional(Type.Array(Strict({
    username: Type.String({ minLength: 1, description: 'user name' }),
    passwordHash: Type.String({ description: 'scrypt:N:r:p:SALT:HASH or sha256:HEX of the password' }),
  }, 'one basic-auth user'), { description: 'basic-auth users' })),
  bearer: Type.Optional(Type.Array(Type.String({ description: 'sha256:HEX or scrypt:… of the token' }), {
    description: 'accepted bearer tokens, hashed',
  })),
}, 'require a credential for /metrics'));
