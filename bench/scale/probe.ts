/**
 * The scrape prober of bench/scale, run as a child so its clock is not the agent's event loop: a GET
 * over a keep-alive connection every 100 ms to the agent's probe endpoint, latency recorded per request.
 * Prints `up` after the first answer (so its own start-up is not inside the measured window); on a
 * line on stdin it prints `{"n","p50","p99","max","controlLagP99"}` (ms; null without samples) and exits;
 * it also exits when stdin closes (the runner died). `controlLagP99` is this nearly idle process's own
 * event-loop lag: the machine's noise floor (preemption on shared cores) measured in the same window.
 *
 *   node --import tsx bench/scale/probe.ts PORT
 */
import { Agent, get } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const port = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const samples: number[] = [];
let stopping = false;
let up = false;
const control = monitorEventLoopDelay({ resolution: 1 });

function once(): void {
  if (stopping) return;
  const t0 = performance.now();
  get({ host: '127.0.0.1', port, path: '/metrics', agent }, (res) => {
    res.resume();
    res.on('end', () => {
      if (!up) {
        up = true;
        control.enable();
        process.stdout.write('up\n');
      } else samples.push(performance.now() - t0);
      setTimeout(once, 100);
    });
  }).on('error', () => { setTimeout(once, 100); });
}
once();

for await (const line of createInterface({ input: process.stdin })) {
  void line;
  stopping = true;
  samples.sort((a, b) => a - b);
  const q = (p: number): number | null => {
    const v = samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
    return v === undefined ? null : Number(v.toFixed(2));
  };
  control.disable();
  const controlLagP99 = Number((control.percentile(99) / 1e6).toFixed(2));
  process.stdout.write(`${JSON.stringify({ n: samples.length, p50: q(0.5), p99: q(0.99), max: q(1), controlLagP99 })}\n`);
  agent.destroy();
  break;
}
process.exit(0);
