/**
 * bench/remote's server on the agent's own control API: buildApiServer with the TCP security (tokens,
 * limits, audit) over test:///default plus DOMAINS running domains, through direct Actions. Audit
 * records go to AUDIT_FILE as JSON lines. Prints `ready <port>`; SIGTERM stops it.
 *
 *   node --import tsx bench/remote/agent-server.ts AUDIT_FILE DOMAINS RATE_PER_SECOND
 */
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createDirectActions } from '../../src/actions/direct.ts';
import { buildApiServer } from '../../src/api/server.ts';
import { silentLogger } from '../../src/domain/logger.ts';
import { open } from '../../src/drivers/index.ts';
import { hashTokenSecret } from '../../src/security/token-hash.ts';

const [auditFile, domainsText = '10', rateText = '100000'] = process.argv.slice(2);
if (auditFile === undefined) throw new Error('usage: agent-server.ts AUDIT_FILE DOMAINS RATE_PER_SECOND');
const conn = await open('test:///default', { clock: Date.now });
for (let i = 0; i < Number(domainsText); i++) {
  await conn.create(await conn.defineXML(`<domain type='test'><name>vmt-load-${i}</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`));
}
const rate = Number(rateText);
const app = await buildApiServer({
  conn, actions: createDirectActions(conn), latest: () => [], readOnly: false,
  security: {
    remote: {
      allowRemote: false,
      tokens: [{ name: 'bench', role: 'operator', hash: await hashTokenSecret(process.env.VIRTMON_TOKEN ?? 'bench-operator-token') }],
      limits: { bodyBytes: 1024 * 1024, xmlDepth: 64, ratePerSecond: rate, burst: Math.max(1, Math.ceil(rate)), opsPerDomain: 1 },
      imageRoots: ['/var/lib/virtmon/images'], emulators: [],
    },
    audit: { record: (e) => { appendFileSync(auditFile, `${JSON.stringify(e)}\n`); } },
    logger: silentLogger(),
  },
});
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`ready ${(app.server.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => conn.close()).then(() => process.exit(0));
});
