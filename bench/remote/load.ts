/**
 * bench/remote: CLIENTS concurrent clients hammer the control API for SECONDS: 70% reads (list, one
 * domain), 30% lifecycle ops (start, destroy, suspend, resume, reboot) on random domains, each client
 * on its own keep-alive connection. The server runs in a child (bench/remote/server.ts) so its RSS is
 * its own. Reports latency p50/p99 by kind, statuses, transport errors, server RSS, and checks the
 * audit log against what the clients saw (no lost or duplicated op) and against the final states.
 *
 *   node --import tsx bench/remote/load.ts [CLIENTS=50] [SECONDS=60] [DOMAINS=10] [RATE=100000]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

// --agent: the agent's own API (bench/remote/agent-server.ts, /v1 routes) instead of the stand-in.
const agentMode = process.argv.includes('--agent');
const [clients = 50, seconds = 60, domains = 10, rate = 100000] = process.argv.slice(2).filter((a) => a !== '--agent').map(Number);
const base = agentMode ? '/v1' : '/api/v1';
const STATE_NAMES: Record<number, string> = { 1: 'running', 3: 'paused', 5: 'shut off' };
const TOKEN = 'bench-operator-token';
const OPS = ['start', 'destroy', 'suspend', 'resume', 'reboot'] as const;
// What a successful op leaves behind; reboot keeps the state it found (a paused domain stays paused).
const STATE_AFTER: Record<(typeof OPS)[number], string | undefined> = { start: 'running', destroy: 'shut off', suspend: 'paused', resume: 'running', reboot: undefined };

const dir = mkdtempSync(join(tmpdir(), 'vmtb-remote-'));
const auditFile = join(dir, 'audit.jsonl');
const server = spawn(process.execPath, ['--import', 'tsx', new URL(agentMode ? './agent-server.ts' : './server.ts', import.meta.url).pathname, auditFile, String(domains), String(rate)],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VIRTMON_TOKEN: TOKEN } });
const port = await new Promise<number>((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  createInterface({ input: server.stdout }).on('line', (line) => {
    const m = /^ready (\d+)$/.exec(line);
    if (m) resolve(Number(m[1]));
  });
});

interface Result { status: number; ms: number; kind: 'read' | 'op'; op?: string; domain?: string; state?: string }

function call(agent: Agent, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { authorization: `Bearer ${TOKEN}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

const results: Result[] = [];
let transportErrors = 0;
const rss: number[] = [];
const readStatus = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);
const sampler = setInterval(() => { rss.push(readStatus('VmRSS')); }, 1000);
const deadline = performance.now() + seconds * 1000;

async function client(i: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let n = i;
  while (performance.now() < deadline) {
    n = (n * 1103515245 + 12345) >>> 0;
    const domain = `vmt-load-${n % domains}`;
    const isOp = (n >>> 8) % 10 < 3;
    const op = OPS[(n >>> 12) % OPS.length] ?? 'start';
    const path = isOp ? `${base}/domains/${domain}/${op}` : (n >>> 16) % 2 === 0 ? `${base}/domains` : agentMode ? `${base}/lookup/name/${domain}` : `${base}/domains/${domain}`;
    const t0 = performance.now();
    try {
      const res = await call(agent, isOp ? 'POST' : 'GET', path);
      const r: Result = { status: res.status, ms: performance.now() - t0, kind: isOp ? 'op' : 'read' };
      if (isOp) Object.assign(r, { op, domain });
      results.push(r);
    } catch {
      transportErrors++;
    }
  }
  agent.destroy();
}

await Promise.all(Array.from({ length: clients }, (_, i) => client(i + 1)));
clearInterval(sampler);
const hwm = readStatus('VmHWM');
const final = (JSON.parse((await call(new Agent(), 'GET', `${base}/domains`)).body) as { name: string; state: string | number }[])
  .map((d) => ({ name: d.name, state: typeof d.state === 'number' ? STATE_NAMES[d.state] ?? String(d.state) : d.state }));
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN);
};
const byStatus: Record<string, number> = {};
for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
const unexpected = results.filter((r) => r.status !== 200 && r.status !== 409 && r.status !== 429).length;

// Audit vs clients: every op a client saw succeed is in the audit log once, and nothing else succeeded.
const audit = readFileSync(auditFile, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { status: number; route: string; params: { domain?: string; dom?: string; action?: string } })
  .map((a) => ({ ...a, params: { domain: a.params.domain ?? a.params.dom, action: a.params.action ?? a.route.split('/').at(-1) } }));
const auditedOk = audit.filter((a) => a.status === 200);
const clientOk = results.filter((r) => r.kind === 'op' && r.status === 200).length;
// Replaying the audited successes in order from "all running" must give the final states.
const replayed = new Map<string, string>();
for (const a of auditedOk) {
  const op = a.params.action as (typeof OPS)[number] | undefined;
  if (a.params.domain === undefined || op === undefined) continue;
  replayed.set(a.params.domain, STATE_AFTER[op] ?? replayed.get(a.params.domain) ?? 'running');
}
const mismatches = final.filter((d) => d.name.startsWith('vmt-load-') && (replayed.get(d.name) ?? 'running') !== d.state)
  .map((d) => `${d.name}: replay says ${replayed.get(d.name) ?? 'running'} but it is ${d.state}`);

const reads = results.filter((r) => r.kind === 'read').map((r) => r.ms);
const ops = results.filter((r) => r.kind === 'op').map((r) => r.ms);
const f = (x: number): string => x.toFixed(2);
console.log(`bench/remote${agentMode ? ' (agent API)' : ''}: ${clients} clients, ${seconds}s, ${domains} domains (+ test), rate limit ${rate}/s per client address`);
console.log(`requests ${results.length} (${f(results.length / seconds)}/s), transport errors ${transportErrors}, unexpected statuses ${unexpected}`);
console.log(`statuses ${JSON.stringify(byStatus)}`);
console.log(`read ms p50 ${f(pct(reads, 50))} p99 ${f(pct(reads, 99))}; op ms p50 ${f(pct(ops, 50))} p99 ${f(pct(ops, 99))}; p99/p50 reads ${f(pct(reads, 99) / pct(reads, 50))}`);
console.log(`server RSS MiB: start ${f((rss[0] ?? 0) / 1024)} end ${f((rss.at(-1) ?? 0) / 1024)} peak ${f(hwm / 1024)} (end/start ${f((rss.at(-1) ?? 0) / (rss[0] ?? 1))})`);
console.log(`audit: ${audit.length} change requests, ${auditedOk.length} succeeded; clients saw ${clientOk} succeed → ${auditedOk.length === clientOk ? 'agree' : 'DISAGREE'}`);
console.log(`final states vs replayed audit: ${mismatches.length === 0 ? 'agree' : `DISAGREE ${mismatches.join('; ')}`}`);
rmSync(dir, { recursive: true, force: true });
process.exit(unexpected === 0 && transportErrors === 0 && auditedOk.length === clientOk && mismatches.length === 0 ? 0 : 1);
