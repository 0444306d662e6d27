/**
 * USM cryptography (RFC 3414, RFC 7860, RFC 3826) on node:crypto: password-to-key and localisation,
 * HMAC-MD5-96 / HMAC-SHA-96 / HMAC-SHA-256-192 authentication, AES-128-CFB privacy.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Authentication protocols we support. */
export type AuthProtocol = 'md5' | 'sha' | 'sha256';

const HASH: Record<AuthProtocol, string> = { md5: 'md5', sha: 'sha1', sha256: 'sha256' };
/** Length of msgAuthenticationParameters per protocol. */
export const MAC_LENGTH: Record<AuthProtocol, number> = { md5: 12, sha: 12, sha256: 24 };

/** RFC 3414 A.2: hash of the password repeated to 1 MiB, then localised with the engine ID. */
export function localizedKey(protocol: AuthProtocol, password: string, engineId: Buffer): Buffer {
  const pw = Buffer.from(password, 'utf8');
  if (pw.length === 0) throw new TypeError('empty USM password');
  const h = createHash(HASH[protocol]);
  const chunk = Buffer.alloc(1024);
  let offset = 0;
  for (let produced = 0; produced < 1048576; produced += 1024) {
    for (let i = 0; i < 1024; i++) chunk[i] = pw[(offset + i) % pw.length]!;
    offset = (offset + 1024) % pw.length;
    h.update(chunk);
  }
  const ku = h.digest();
  return createHash(HASH[protocol]).update(Buffer.concat([ku, engineId, ku])).digest();
}

/** The truncated HMAC of a whole message (its auth parameters zeroed by the caller). */
export function mac(protocol: AuthProtocol, key: Buffer, message: Buffer): Buffer {
  return createHmac(HASH[protocol], key).update(message).digest().subarray(0, MAC_LENGTH[protocol]);
}

/** Constant-time MAC check. */
export function macMatches(protocol: AuthProtocol, key: Buffer, zeroed: Buffer, received: Buffer): boolean {
  const expected = mac(protocol, key, zeroed);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function aesIv(boots: number, time: number, salt: Buffer): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(boots >>> 0, 0);
  iv.writeUInt32BE(time >>> 0, 4);
  salt.copy(iv, 8, 0, 8);
  return iv;
}

/** AES-128-CFB encryption (RFC 3826); the key is the first 16 octets of the localised privacy key. */
export function aesEncrypt(privKey: Buffer, boots: number, time: number, salt: Buffer, plain: Buffer): Buffer {
  const c = createCipheriv('aes-128-cfb', privKey.subarray(0, 16), aesIv(boots, time, salt));
  return Buffer.concat([c.update(plain), c.final()]);
}

/** AES-128-CFB decryption. */
export function aesDecrypt(privKey: Buffer, boots: number, time: number, salt: Buffer, cipher: Buffer): Buffer {
  const d = createDecipheriv('aes-128-cfb', privKey.subarray(0, 16), aesIv(boots, time, salt));
  return Buffer.concat([d.update(cipher), d.final()]);
}
