/**
 * The tools bench/peers compares, each behind one interface: `start` (outside the measured window:
 * process start, connection, first listing), `cycle` (one collection of every domain; resolves with
 * its wall time), `ownNs` (the tool's own CPU so far) and `stop`.
 * - virtmon: the collectors and scheduler in this process (process.cpuUsage), over its own monitors;
 * - virsh: one interactive `virsh -c qemu:///system` kept open like an exporter's connection, sent
 *   `domstats` (every group) or `domstats --nowait` per cycle;
 * - collectd 5.12's virt plugin (Interval = the cycle interval, RefreshInterval 60, ExtraStats for the
 *   groups virtmon reads, csv writer), cycling on its own clock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { enabledCollectors } from '../../src/collectors/index.ts';
import { Scheduler } from '../../src/collectors/scheduler.ts';
import { createSourceContext } from '../../src/collectors/sources/context.ts';
import { detectHostConstants } from '../../src/collectors/sources/host.ts';
import type { StatsTarget } from '../../src/domain/stats-target.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import { processNs } from './cpu.ts';

/** One tool under measurement. */
export interface PeerTool {
  readonly name: string;
  /** True when the tool cycles on its own clock (the runner only waits). */
  readonly selfTimed: boolean;
  start(): Promise<void>;
  cycle(): Promise<number>;
  ownNs(): number;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** virtmon's scheduler over the VMs' second monitors. */
export function virtmonTool(targets: readonly StatsTarget[]): PeerTool {
  let scheduler: Scheduler | undefined;
  return {
    name: 'virtmon',
    selfTimed: false,
    async start() {
      scheduler = new Scheduler({
        source: { list: () => Promise.resolve([...targets]) }, store: new SnapshotStore(),
        sources: createSourceContext({ proc: '/proc', sys: '/sys', cgroup: '/sys/fs/cgroup' }, { host: detectHostConstants() }),
        collectors: enabledCollectors(), intervalMs: 60_000, domainTimeoutMs: 3000,
      });
      await scheduler.runCycle(); // opens the kept fds and fetches the 60 s items, as a running agent has
    },
    async cycle() {
      const t0 = performance.now();
      await scheduler?.runCycle();
      return performance.now() - t0;
    },
    ownNs: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) * 1000;
    },
    async stop() {
      await scheduler?.stop();
    },
  };
}

/** An interactive virsh sending `domstats` (optionally `--nowait`) per cycle. */
export function virshTool(nowait: boolean): PeerTool {
  let child: ChildProcess | undefined;
  let buffer = '';
  let waiter: (() => void) | undefined;
  const until = (marker: string): Promise<void> => new Promise((resolve) => {
    const check = (): void => {
      const at = buffer.indexOf(marker);
      if (at < 0) return;
      buffer = buffer.slice(at + marker.length);
      waiter = undefined;
      resolve();
    };
    waiter = check;
    check();
  });
  return {
    name: nowait ? 'virsh domstats --nowait' : 'virsh domstats',
    selfTimed: false,
    async start() {
      child = spawn('virsh', ['-c', 'qemu:///system'], { stdio: ['pipe', 'pipe', 'inherit'] });
      child.stdout?.on('data', (chunk: Buffer) => { buffer += chunk.toString('utf8'); waiter?.(); });
      child.stdin?.write(`domstats${nowait ? ' --nowait' : ''}\necho __ready__\n`);
      await until('\n__ready__');
    },
    async cycle() {
      const t0 = performance.now();
      child?.stdin?.write(`domstats${nowait ? ' --nowait' : ''}\necho __end__\n`);
      await until('\n__end__');
      return performance.now() - t0;
    },
    ownNs: () => (child?.pid === undefined ? 0 : processNs(child.pid)),
    async stop() {
      child?.stdin?.end('quit\n');
      if (child !== undefined) await stopChild(child);
    },
  };
}

/** collectd with the virt plugin, reading every `intervalMs`. */
export function collectdTool(dir: string, intervalMs: number): PeerTool {
  let child: ChildProcess | undefined;
  const conf = join(dir, 'collectd.conf');
  return {
    name: 'collectd virt',
    selfTimed: true,
    async start() {
      writeFileSync(conf, `Interval ${intervalMs / 1000}
FQDNLookup false
Hostname "vmtp"
BaseDir "${dir}"
PIDFile "${join(dir, 'collectd.pid')}"
PluginDir "/usr/lib/collectd"
TypesDB "/usr/share/collectd/types.db"
LoadPlugin logfile
<Plugin logfile>
  LogLevel "warning"
  File "${join(dir, 'collectd.log')}"
</Plugin>
LoadPlugin csv
<Plugin csv>
  DataDir "${join(dir, 'csv')}"
</Plugin>
LoadPlugin virt
<Plugin virt>
  Connection "qemu:///system"
  RefreshInterval 60
  HostnameFormat "name"
  ExtraStats "disk pcpu vcpu memory disk_allocation disk_capacity disk_physical"
</Plugin>
`);
      // Its start-up chatter goes to stderr before the logfile plugin takes over: not ours to print.
      child = spawn('/usr/sbin/collectd', ['-f', '-C', conf], { stdio: 'ignore' });
      // The first read also lists the domains and fetches their XML (RefreshInterval): let it pass.
      await sleep(2 * intervalMs + 500);
      if (child.exitCode !== null) throw new Error(`collectd exited (${child.exitCode}); see ${join(dir, 'collectd.log')}`);
    },
    async cycle() {
      await sleep(intervalMs);
      return Number.NaN;
    },
    ownNs: () => (child?.pid === undefined ? 0 : processNs(child.pid)),
    async stop() {
      if (child !== undefined) await stopChild(child);
    },
  };
}
