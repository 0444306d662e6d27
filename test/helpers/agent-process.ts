/** `virtmon agent` as a child process: started, awaited until ready, stopped with a signal. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** bin/virtmon.js. */
export const BIN = fileURLToPath(new URL('../../bin/virtmon.js', import.meta.url));

/** The environment of child virtmon processes: no client config, no default URI. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml', ...extra };
  delete env.VIRTMON_DEFAULT_URI;
  delete env.VIRTMON_DEBUG;
  return env;
}

/** Runs `virtmon ARGS` to completion. */
export function virtmonRun(args: readonly string[], env: NodeJS.ProcessEnv = childEnv()): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err === null) resolve({ code: 0, stdout, stderr });
      else if (typeof err.code === 'number') resolve({ code: err.code, stdout, stderr });
      else resolve({ code: -1, stdout, stderr: `${stderr}${err.message}` });
    });
  });
}

/** A running agent process. */
export interface AgentProcess {
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** The fields of the `agent ready` line. */
  readonly ready: { socket: string; readOnlySocket: string; http: string };
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `virtmon agent --config FILE` and waits for its `agent ready` log line (or its exit). */
export function startAgentProcess(configFile: string, env: NodeJS.ProcessEnv = childEnv()): Promise<AgentProcess> {
  const child = spawn(process.execPath, [BIN, 'agent', '--config', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => { child.on('exit', (code) => resolve(code)); });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const rec = JSON.parse(line) as Record<string, unknown>;
          logs.push(rec);
          if (rec.msg === 'agent ready') {
            resolve({
              child, logs, ready: rec as unknown as AgentProcess['ready'],
              stop: (signal = 'SIGTERM') => {
                if (child.exitCode !== null) return Promise.resolve(child.exitCode);
                child.kill(signal);
                return exited;
              },
            });
          }
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => reject(new Error(`agent exited ${code} before it was ready: ${stderr}`)));
  });
}
