/**
 * The server side of bench/remote: test:///default plus DOMAINS extra running domains behind the
 * stand-in control API (security plugins in the agent's order), on 127.0.0.1:0. Every audited
 * request is appended to AUDIT_FILE as a JSON line. Prints `ready <port>`; SIGTERM stops it.
 *
 *   node --import tsx bench/remote/server.ts AUDIT_FILE DOMAINS RATE_PER_SECOND
 */
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { hashTokenSecret } from '../../src/security/token-hash.ts';
import { buildStandinApi } from '../../test/helpers/standin-api.ts';
import { open } from '../../src/drivers/index.ts';

const [auditFile, domainsText = '10', rateText = '100000'] = process.argv.slice(2);
if (auditFile === undefined) throw new Error('usage: server.ts AUDIT_FILE DOMAINS RATE_PER_SECOND');
// Opened directly (not test/helpers' openTest, which records every event for ever).
const conn = await open('test:///default', { clock: Date.now });
for (let i = 0; i < Number(domainsText); i++) {
  const dom = await conn.defineXML(`<domain type='test'><name>vmt-load-${i}</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`);
  await conn.create(dom);
}
const rate = Number(rateText);
const app = await buildStandinApi({
  conn,
  tokens: [{ name: 'bench', role: 'operator', hash: await hashTokenSecret(process.env.VIRTMON_TOKEN ?? 'bench-operator-token') }],
  limits: { bodyBytes: 1024 * 1024, xmlDepth: 64, ratePerSecond: rate, burst: Math.max(1, Math.ceil(rate)), opsPerDomain: 1 },
  imageRoots: ['/var/lib/virtmon/images'],
  logLevel: 'silent',
  audit: (e) => { appendFileSync(auditFile, `${JSON.stringify(e)}\n`); },
});
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`ready ${(app.server.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => conn.close()).then(() => process.exit(0));
});
