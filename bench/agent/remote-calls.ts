// What the agent hop costs a CLI: driver calls through the control API (unix socket, one HTTP
// request each) against the same calls on an in-process test:///default connection, plus a whole
// `virtmon list --all` run in-process both ways (argv parsing, client config, connect, print).
//
//   node --import tsx bench/agent/remote-calls.ts [--n 2000]
//
// Prints per-call latency p50/p99 (µs) and the ratio remote/in-process for each row.
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { runCli } from '../../src/cli/run.ts';
import { openConnection, type Connection } from '../../src/drivers/dispatch.ts';
import { CLI_DRIVERS, open } from '../../src/drivers/index.ts';
import { parseUri } from '../../src/drivers/uri.ts';
import { startTestAgent } from '../../test/helpers/agent.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000' } } });
const n = Number(values.n);

async function timeIt(fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(200, n); i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    xs.push((performance.now() - t0) * 1000);
  }
  xs.sort((a, b) => a - b);
  return { p50: xs[Math.floor(n * 0.5)] ?? 0, p99: xs[Math.floor(n * 0.99)] ?? 0 };
}

const agent = await startTestAgent();
const local = await open('test:///default');
const remote: Connection = await openConnection(parseUri(agent.uri()), CLI_DRIVERS);
const dom = await local.lookupByName('test');
const cli = (uri: string) => runCli(['-c', uri, 'list --all'], { stdout: () => undefined, stderr: () => undefined }, {
  version: '0', driverNames: [], open: (u, o) => openConnection(u, CLI_DRIVERS, o), env: { VIRTMON_CLIENT_CONFIG: '/nonexistent' },
  uid: 0, homedir: homedir(), cwd: process.cwd(), clock: Date.now,
});
const rows: [string, (c: Connection) => Promise<unknown>][] = [
  ['listAllDomains', (c) => c.listAllDomains()],
  ['lookupByName', (c) => c.lookupByName('test')],
  ['getInfo', (c) => c.getInfo(dom)],
  ['suspend+resume', async (c) => { await c.suspend(dom); await c.resume(dom); }],
];
console.log('call                 in-process p50/p99 µs   via agent p50/p99 µs   ratio p50');
for (const [name, fn] of rows) {
  const a = await timeIt(() => fn(local));
  const b = await timeIt(() => fn(remote));
  console.log(`${name.padEnd(20)} ${`${a.p50.toFixed(0)}/${a.p99.toFixed(0)}`.padStart(18)}   ${`${b.p50.toFixed(0)}/${b.p99.toFixed(0)}`.padStart(18)}   ${(b.p50 / a.p50).toFixed(1)}x`);
}
const a = await timeIt(() => cli('test:///default'));
const b = await timeIt(() => cli(agent.uri()));
console.log(`${'virtmon list --all'.padEnd(20)} ${`${a.p50.toFixed(0)}/${a.p99.toFixed(0)}`.padStart(18)}   ${`${b.p50.toFixed(0)}/${b.p99.toFixed(0)}`.padStart(18)}   ${(b.p50 / a.p50).toFixed(1)}x`);
await remote.close();
await local.close();
await agent.stop();
