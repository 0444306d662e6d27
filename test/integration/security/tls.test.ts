import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { authPlugin } from '../../../src/security/auth-plugin.ts';
import { clientCertName, tlsServerOptions } from '../../../src/security/tls.ts';
import { hashTokenSecret } from '../../../src/security/token-hash.ts';
import { createTokenVerifier } from '../../../src/security/token-verifier.ts';
import { makeTestPki, type TestPki } from '../../helpers/certs.ts';
import { addTestRoutes, captureFastify } from '../../helpers/security-app.ts';

let pki: TestPki;
before(() => { pki = makeTestPki(); });
after(() => pki.remove());

const TOKEN = 'tls-test-token-0123456789';

/** Starts the test app on 127.0.0.1:0 with TLS from a remote.tls block. */
async function serve(tls: { cert: string; key: string; clientCa?: string }) {
  const https = tlsServerOptions(tls);
  assert.ok(https !== undefined);
  const { app } = captureFastify({ https });
  await app.register(authPlugin, {
    verifier: createTokenVerifier([{ name: 'op', role: 'operator', hash: await hashTokenSecret(TOKEN) }], Date.now),
    allowRemote: false, logger: silentLogger(),
  });
  app.get('/whoami', { config: { access: 'read' } }, (req) => Promise.resolve({ cn: clientCertName(req.raw.socket) ?? null }));
  addTestRoutes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port };
}

/** One HTTPS request; resolves status and body, or rejects with the TLS/socket error. */
function get(port: number, path: string, extra: RequestOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca: pki.read(pki.caCert), headers: { authorization: `Bearer ${TOKEN}` }, ...extra }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('TLS: a token request over a real TLS socket works; the server certificate verifies against the CA', async (t) => {
  const { app, port } = await serve({ cert: pki.serverCert, key: pki.serverKey });
  t.after(() => app.close());
  const ok = await get(port, '/api/v1/domains');
  assert.equal(ok.status, 200);
  assert.equal((await get(port, '/api/v1/domains', { headers: {} })).status, 401);
  assert.equal((await get(port, '/metrics', { headers: {} })).status, 200);
  // A client that does not trust the CA refuses the server.
  await assert.rejects(get(port, '/api/v1/domains', { ca: pki.read(pki.rogueCert) }), /self[- ]signed|unable to verify|certificate/i);
  // Plain HTTP to the TLS port gets no HTTP answer.
  await assert.rejects(new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/metrics' }, resolve);
    req.on('error', reject);
    req.end();
  }));
});

test('mTLS: with clientCa a client needs a certificate from that CA; its CN is readable', async (t) => {
  const { app, port } = await serve({ cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert });
  t.after(() => app.close());
  const withCert = await get(port, '/whoami', { cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) });
  assert.deepEqual([withCert.status, JSON.parse(withCert.body)], [200, { cn: 'vmt-client' }]);
  await assert.rejects(get(port, '/whoami'), /certificate|socket hang up|ECONNRESET|alert/i);
  await assert.rejects(get(port, '/whoami', { cert: pki.read(pki.rogueCert), key: pki.read(pki.rogueKey) }), /certificate|socket hang up|ECONNRESET|alert|unknown ca/i);
  // A certificate does not replace the token.
  const noToken = await get(port, '/whoami', { cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey), headers: {} });
  assert.equal(noToken.status, 401);
});

test('a missing or non-PEM cert file is a config error naming the key and the file', () => {
  assert.equal(tlsServerOptions(undefined), undefined);
  assert.throws(() => tlsServerOptions({ cert: '/nonexistent/vmt.pem', key: pki.serverKey }), (err: unknown) =>
    err instanceof VirtmonError && err.code === 'VIRTMON_ERR_CONFIG' && err.key === 'remote.tls.cert' && /\/nonexistent\/vmt\.pem/.test(err.message));
  assert.throws(() => tlsServerOptions({ cert: pki.serverCert, key: pki.serverKey, clientCa: `${pki.dir}/server.ext` }), (err: unknown) =>
    err instanceof VirtmonError && err.key === 'remote.tls.clientCa' && /not a PEM file/.test(err.message));
});
