/**
 * libvirtd for bench/peers: the running daemon when there is one, else libvirtd and virtlogd started
 * here as children (this machine has no systemd) and stopped again by pid at the end. `virsh` runs
 * against `qemu:///system`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOCKET = '/run/libvirt/libvirt-sock';

/** A libvirtd to measure against. */
export interface Libvirtd {
  readonly pid: number;
  stop(): Promise<void>;
}

function pidOf(comm: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** Uses the running libvirtd or starts one (with virtlogd, which the qemu driver logs through). */
export async function ensureLibvirtd(): Promise<Libvirtd> {
  const running = pidOf('libvirtd');
  if (running !== undefined && existsSync(SOCKET)) return { pid: running, stop: () => Promise.resolve() };
  const started: ChildProcess[] = [];
  if (pidOf('virtlogd') === undefined) started.push(spawn('virtlogd', [], { stdio: 'ignore' }));
  const daemon = spawn('libvirtd', [], { stdio: 'ignore' });
  started.push(daemon);
  for (let i = 0; i < 100 && !existsSync(SOCKET); i++) await sleep(100);
  await virsh(['version']);
  return {
    pid: daemon.pid ?? 0,
    stop: async () => {
      for (const child of started.reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Runs virsh on qemu:///system; resolves with stdout, rejects with stderr in the message. */
export async function virsh(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('virsh', ['-c', 'qemu:///system', ...args], { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`virsh ${args.join(' ')}: ${stderr.trim() || String(error)}`, { cause: error });
  }
}
