/**
 * The exec action (collectd's NotificationExec, collectd.md §6, with what collectd lacks): argv from the
 * config, never a shell; one process per notification, at most `concurrency` at once; the notification
 * on stdin (JSON, or collectd's byte-compatible text); a clean environment with COLLECTD_* and VIRTMON_*;
 * a timeout (SIGTERM, then SIGKILL 2 s later); stdout/stderr captured (truncated) for the log; a
 * configured non-root user, with root refused unless `allowRoot`.
 */
import { spawn } from 'node:child_process';
import { VirtmonError } from '../../domain/errors.ts';
import type { ExecTarget } from './types.ts';

/** What a run ended with. */
export interface ExecResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

const MAX_OUTPUT = 4096;
const KILL_GRACE_MS = 2000;

/** Runs exec hooks with a concurrency limit. */
export class ExecRunner {
  readonly #limit: number;
  readonly #getuid: () => number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(options: { readonly concurrency?: number; readonly getuid?: () => number } = {}) {
    this.#limit = options.concurrency ?? 4;
    this.#getuid = options.getuid ?? (() => process.getuid?.() ?? -1);
  }

  /** Runs the hook with `stdin` and `env`; rejects when it could not start or was refused. */
  async run(target: ExecTarget, stdin: string, env: Record<string, string>): Promise<ExecResult> {
    const runsAsRoot = target.uid === 0 || (target.uid === undefined && this.#getuid() === 0);
    if (runsAsRoot && !target.allowRoot) {
      throw new VirtmonError('VIRTMON_ERR_ACTION_REFUSED', `exec hook '${target.name}' would run as root; set user: or allowRoot: true`);
    }
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => { this.#waiting.push(resolve); });
    this.#running++;
    try {
      return await this.#spawn(target, stdin, env);
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  #spawn(target: ExecTarget, stdin: string, env: Record<string, string>): Promise<ExecResult> {
    const [file, ...args] = target.argv;
    return new Promise((resolve, reject) => {
      const child = spawn(file ?? '', args, {
        shell: false, env, stdio: ['pipe', 'pipe', 'pipe'], cwd: '/',
        ...(target.uid === undefined ? {} : { uid: target.uid }),
        ...(target.gid === undefined ? {} : { gid: target.gid }),
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const take = (acc: string, chunk: Buffer): string => (acc.length >= MAX_OUTPUT ? acc : (acc + chunk.toString('utf8')).slice(0, MAX_OUTPUT));
      child.stdout.on('data', (c: Buffer) => { stdout = take(stdout, c); });
      child.stderr.on('data', (c: Buffer) => { stderr = take(stderr, c); });
      // A hook that does not read its stdin must not crash the agent with EPIPE.
      child.stdin.on('error', () => undefined);
      let killTimer: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => { child.kill('SIGKILL'); }, KILL_GRACE_MS);
      }, target.timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        reject(new VirtmonError('VIR_ERR_SYSTEM_ERROR', `exec hook '${target.name}': cannot run ${file ?? ''}: ${err.message}`, { cause: err }));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        resolve({ code, signal, timedOut, stdout, stderr });
      });
      child.stdin.end(stdin);
    });
  }
}
