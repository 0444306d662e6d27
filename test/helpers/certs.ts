/**
 * Throw-away PKI for TLS tests, made with Debian's openssl in a temp dir: a CA, a server certificate
 * for 127.0.0.1, a client certificate from the same CA, and a rogue CA with its own client.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Paths of the generated PEM files. */
export interface TestPki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly rogueCert: string;
  readonly rogueKey: string;
  read(path: string): Buffer;
  remove(): void;
}

const openssl = (dir: string, ...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(dir: string, name: string): void {
  openssl(dir, 'req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=vmt-${name}`);
}

function makeLeaf(dir: string, name: string, ca: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
  openssl(dir, 'req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=vmt-${name}`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
}

/** Generates the PKI (a few hundred ms); call `remove()` in `after`. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-pki-'));
  try {
    makeCa(dir, 'ca');
    makeCa(dir, 'rogue-ca');
    makeLeaf(dir, 'server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth');
    makeLeaf(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth');
    makeLeaf(dir, 'rogue', 'rogue-ca', 'extendedKeyUsage=clientAuth');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCert: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key'),
    clientCert: p('client.pem'), clientKey: p('client.key'), rogueCert: p('rogue.pem'), rogueKey: p('rogue.key'),
    read: (path) => readFileSync(path),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
