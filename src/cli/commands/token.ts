/**
 * `token-hash`: makes the `hash:` of an API token for the agent's `remote.tokens` (the secret itself
 * is never stored). `--generate` makes a new 256-bit secret and prints it once with its hash; else
 * the secret is read from `--secret-file` (a file, so it never shows on a command line or in `ps`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VirtmonError } from '../../domain/errors.ts';
import { generateTokenSecret, hashTokenSecret } from '../../security/token-hash.ts';
import type { CommandDef } from '../command-def.ts';

/** `token-hash [--generate] [--secret-file FILE] [--scrypt]`. */
export const tokenHash: CommandDef = {
  name: 'token-hash',
  group: 'virsh',
  help: 'hash an API token secret for the agent configuration',
  desc: 'Prints the hash to put in remote.tokens[].hash of virtmon.yaml. With --generate a new random\n' +
    '    secret is made and printed once, above its hash; give it to the client as VIRTMON_TOKEN.\n' +
    '    Otherwise the secret is the first line of --secret-file. --scrypt hashes with scrypt\n' +
    '    (for secrets a person chose); generated secrets need only sha256.',
  options: [
    { name: 'generate', type: 'bool', help: 'make a new random secret' },
    { name: 'secret-file', type: 'string', help: 'file whose first line is the secret' },
    { name: 'scrypt', type: 'bool', help: 'hash with scrypt instead of sha256' },
  ],
  noConnect: true,
  async run({ session }, opts) {
    const file = opts.string('secret-file');
    const generate = opts.bool('generate');
    if (generate === (file !== undefined)) {
      session.out.error('exactly one of --generate and --secret-file is required');
      return false;
    }
    let secret: string;
    if (file !== undefined) {
      try {
        secret = (readFileSync(resolve(session.deps.cwd, file), 'utf8').split(/\r?\n/)[0] ?? '').trim();
      } catch (err) {
        session.report(new VirtmonError('VIR_ERR_SYSTEM_ERROR', `cannot read ${file}: ${(err as Error).message}`, { file, cause: err }));
        return false;
      }
      if (!/^[\x21-\x7e]{8,512}$/.test(secret)) {
        session.out.error(`the secret in ${file} must be 8 to 512 printable ASCII characters without spaces`);
        return false;
      }
    } else {
      secret = generateTokenSecret();
      session.out.print(`secret: ${secret}\n`);
    }
    const hash = await hashTokenSecret(secret, opts.bool('scrypt') ? 'scrypt' : 'sha256');
    session.out.print(generate ? `hash: ${hash}\n` : `${hash}\n`);
    return true;
  },
};
