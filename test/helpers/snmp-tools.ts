/**
 * net-snmp 5.9 command-line tools for SNMP tests: run a client (no shell, numeric OIDs, short timeouts),
 * start snmptrapd or snmpd on loopback with their own config in a temp dir, pick free ports.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { writeFile } from 'node:fs/promises';
import type { ShortTempDir } from './tmp-socket.ts';

/** Output of a client run. */
export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tool args…` with the MIB search path disabled (no MIB noise) unless args set it. */
export function runTool(tool: string, args: readonly string[], env: Record<string, string> = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(tool, [...args], { env: { ...process.env, MIBS: '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses `-On` output lines `.1.3… = TYPE: value` into [oid, type, value]. */
export function parseLines(stdout: string): Array<{ oid: string; type: string; value: string }> {
  return stdout.split('\n').filter((l) => l.startsWith('.')).map((l) => {
    const m = /^\.(\S+) = (?:([A-Za-z0-9-]+): )?(.*)$/.exec(l);
    return { oid: m?.[1] ?? '', type: m?.[2] ?? '', value: m?.[3] ?? '' };
  });
}

/** A free UDP port on 127.0.0.1 (bound, read, released: for daemons that cannot take port 0). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => { s.bind(0, '127.0.0.1', () => { resolve(); }); });
  const port = s.address().port;
  await new Promise<void>((resolve) => { s.close(() => { resolve(); }); });
  return port;
}

/** A free TCP port on 127.0.0.1. */
export async function freeTcpPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => { srv.listen(0, '127.0.0.1', () => { resolve(); }); });
  const addr = srv.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  await new Promise<void>((resolve) => { srv.close(() => { resolve(); }); });
  return port;
}

/** A daemon started by a test; its stdout is collected. */
export interface Daemon {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when the output contains `text` (rejects after `ms`). */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

function daemon(cmd: string, args: readonly string[], env: Record<string, string>): Daemon {
  const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIBS: '', ...env } });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString('utf8');
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => { child.once('exit', () => { resolve(); }); });
  return {
    child,
    output: () => out,
    waitFor: (text, ms = 15_000) => new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (typeof text === 'string' ? out.includes(text) : text.test(out)) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${String(text)}; output:\n${out}`)); }, ms);
      waiters.add(check);
      check();
    }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts snmptrapd on 127.0.0.1:port with `config` lines; waits until it is ready. */
export async function startTrapd(tmp: ShortTempDir, port: number, config: readonly string[]): Promise<Daemon> {
  const conf = tmp.path('snmptrapd.conf');
  await writeFile(conf, `${config.join('\n')}\n`);
  const d = daemon('snmptrapd', ['-f', '-Lo', '-On', '-C', '-c', conf, `udp:127.0.0.1:${port}`], { SNMP_PERSISTENT_DIR: tmp.path('trapd-persist') });
  await d.waitFor('NET-SNMP version');
  return d;
}

/** Starts snmpd as AgentX master: UDP on `udpPort`, AgentX on tcp:127.0.0.1:`agentxPort`. */
export async function startMasterSnmpd(tmp: ShortTempDir, udpPort: number, agentxPort: number, extra: readonly string[] = []): Promise<Daemon> {
  const conf = tmp.path('snmpd.conf');
  await writeFile(conf, [
    'master agentx', `agentXSocket tcp:127.0.0.1:${agentxPort}`, 'rocommunity public 127.0.0.1', 'rwcommunity private 127.0.0.1',
    ...extra, '',
  ].join('\n'));
  const d = daemon('snmpd', ['-f', '-Lo', '-C', '-c', conf, `udp:127.0.0.1:${udpPort}`], { SNMP_PERSISTENT_DIR: tmp.path('snmpd-persist') });
  await d.waitFor('NET-SNMP version');
  return d;
}
