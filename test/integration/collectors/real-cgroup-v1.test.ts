/**
 * The cpu-total and cgroup sources on this machine's real /proc and real cgroup v1 hierarchies: a
 * spinning child moved into a fresh `vmt-…` group (CFS quota 20%, so it is throttled and spares the
 * 2-core host), read through the same kept fds twice. Needs root and v1 cpu, cpuacct and memory mounts
 * under /sys/fs/cgroup (the test machines' hybrid layout).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SampleFields } from '../../../src/domain/sample.ts';
import type { CgroupPlacement } from '../../../src/domain/stats-target.ts';
import { parseProcCgroup } from '../../../src/collectors/parse/proc-cgroup.ts';
import { parseProcStat } from '../../../src/collectors/parse/proc-stat.ts';
import { createSourceContext } from '../../../src/collectors/sources/context.ts';
import { fillCpuTotal } from '../../../src/collectors/sources/cpu-total.ts';
import { detectHostConstants } from '../../../src/collectors/sources/host.ts';
import { fillCgroupExtras } from '../../../src/collectors/sources/memory.ts';

const ROOT = '/sys/fs/cgroup';
const NAME = `vmt-src-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const CONTROLLERS = ['cpu', 'cpuacct', 'memory'] as const;
/** Our own group in each hierarchy, so the child stays under any limit that applies to this process. */
const own = parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8')).v1;
const groupOf = (c: (typeof CONTROLLERS)[number]): string => `${(own.get(c) ?? '/').replace(/\/$/, '')}/${NAME}`;
const dirOf = (c: (typeof CONTROLLERS)[number]): string => `${ROOT}/${c}${groupOf(c)}`;

const ctx = createSourceContext({ proc: '/proc', sys: '/sys', cgroup: ROOT }, { host: detectHostConstants() });
const placement: CgroupPlacement = { v1: { cpu: groupOf('cpu'), cpuacct: groupOf('cpuacct'), memory: groupOf('memory') } };
const target = { ref: { name: 'spinner', uuid: '00000000-0000-4000-8000-00000000f00d', id: 1 }, cgroup: placement };
let child: ChildProcess | undefined;
const made: string[] = [];

before(() => {
  for (const c of CONTROLLERS) {
    mkdirSync(dirOf(c));
    made.push(dirOf(c));
  }
  writeFileSync(`${dirOf('cpu')}/cpu.cfs_period_us`, '100000');
  writeFileSync(`${dirOf('cpu')}/cpu.cfs_quota_us`, '20000');
});

after(async () => {
  ctx.files.closeAll();
  if (child?.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
  for (const dir of made.reverse()) {
    // A group whose last task just died can be busy for a moment.
    for (let attempt = 0; ; attempt++) {
      try {
        rmdirSync(dir);
        break;
      } catch (error) {
        if (attempt >= 50) throw error;
        await sleep(100);
      }
    }
  }
});

const procCpuNs = (pid: number): bigint => {
  const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  assert.ok(stat);
  return ((stat.utime + stat.stime) * 1_000_000_000n) / BigInt(ctx.host.clockTicks);
};

const sample = (): SampleFields => {
  const into: SampleFields = new Map();
  fillCpuTotal(ctx, target, into);
  fillCgroupExtras(ctx, target, into);
  return into;
};

test('cpu.time from a real v1 cpuacct group grows and agrees with /proc/PID/stat', async () => {
  child = spawn('/bin/sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
  const pid = child.pid;
  assert.ok(pid !== undefined);
  const beforeMove = procCpuNs(pid);
  for (const c of CONTROLLERS) writeFileSync(`${dirOf(c)}/cgroup.procs`, String(pid));

  const first = sample().get('cpu.time');
  assert.equal(typeof first, 'bigint');
  let later = sample();
  // Wait (bounded) until the child has run and been throttled; the assertion is on values, not on time.
  for (let i = 0; i < 100 && !((later.get('cpu.time') as bigint) > (first as bigint) + 50_000_000n
    && (later.get('virtmon.cgroup.cpu.throttled') as bigint) > 0n); i++) {
    await sleep(100);
    later = sample();
  }
  assert.ok((later.get('cpu.time') as bigint) > (first as bigint), 'cpu.time grows');
  assert.ok((later.get('virtmon.cgroup.cpu.throttled') as bigint) > 0n, 'the 20% quota throttles the spinner');
  assert.equal(typeof later.get('virtmon.cgroup.memory.current'), 'bigint');
  const user = later.get('cpu.user') as bigint;
  const system = later.get('cpu.system') as bigint;
  assert.ok(user + system > 0n);

  // Freeze the child so both sources describe the same instant, then compare.
  child.kill('SIGSTOP');
  await sleep(50);
  const cgroupNs = sample().get('cpu.time') as bigint;
  const procNs = procCpuNs(pid) - beforeMove;
  const tolerance = 30_000_000n + procNs / 10n; // /proc is at 10 ms tick granularity
  const diff = cgroupNs > procNs ? cgroupNs - procNs : procNs - cgroupNs;
  assert.ok(diff <= tolerance, `cgroup ${cgroupNs} ns vs /proc ${procNs} ns (tolerance ${tolerance})`);
  child.kill('SIGCONT');
});
