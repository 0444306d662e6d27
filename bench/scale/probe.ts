/**
 * The scrape prober of bench/scale, run as a child so its clock is not the agent's event loop: a GET
 * over a keep-alive connection every 100 ms to the agent's probe endpoint, latency recorded per request.
 * On a line on stdin it prints `{"n","p50","p99","max"}` (ms) and exits.
 *
 *   node --import tsx bench/scale/probe.ts PORT
 */
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const port = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const samples: number[] = [];
let stopping = false;

function once(): void {
  if (stopping) return;
  const t0 = performance.now();
  get({ host: '127.0.0.1', port, path: '/metrics', agent }, (res) => {
    res.resume();
    res.on('end', () => {
      samples.push(performance.now() - t0);
      setTimeout(once, 100);
    });
  }).on('error', () => { setTimeout(once, 100); });
}
once();

for await (const line of createInterface({ input: process.stdin })) {
  void line;
  stopping = true;
  samples.sort((a, b) => a - b);
  const q = (p: number): number => Number((samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0).toFixed(2));
  process.stdout.write(`${JSON.stringify({ n: samples.length, p50: q(0.5), p99: q(0.99), max: q(1) })}\n`);
  agent.destroy();
  break;
}
