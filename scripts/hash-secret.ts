/**
 * Prints a hash for `metrics.auth` (basic-auth passwordHash or a bearer token hash). The secret is read
 * from stdin so it stays out of the shell history and the process list.
 *
 *   printf '%s' 'the password' | node --import tsx scripts/hash-secret.ts [--sha256]
 */
import { hashSecret } from '../src/exporters/prometheus/secret-hash.ts';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const secret = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
if (secret === '') {
  console.error('hash-secret: no secret on stdin');
  process.exit(2);
}
console.log(await hashSecret(secret, process.argv.includes('--sha256') ? 'sha256' : 'scrypt'));
