/** Runs the CLI in-process against the real driver table, capturing both streams. */
import { homedir } from 'node:os';
import { runCli } from '../../../src/cli/run.ts';
import type { LineSource } from '../../../src/cli/shell.ts';
import { openConnection } from '../../../src/drivers/dispatch.ts';
import { DRIVERS } from '../../../src/drivers/index.ts';

/** What one run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of an in-process run. */
export interface RunOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly clock?: () => number;
  /** Lines for the shell (when argv has no command). */
  readonly lines?: readonly string[];
  /** Make the shell behave as on a terminal (greeting, prompts). */
  readonly interactive?: boolean;
}

/** Runs `virtmon ARGV` in this process; the client config defaults to a file that does not exist. */
export async function runVirtmon(argv: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } }, {
    version: '0.1.0',
    driverNames: DRIVERS.map((d) => d.name),
    open: (uri, opts) => openConnection(uri, DRIVERS, opts),
    env: options.env ?? { VIRTMON_CLIENT_CONFIG: '/nonexistent/vmt-client.yaml' },
    uid: 0,
    homedir: homedir(),
    cwd: options.cwd ?? process.cwd(),
    clock: options.clock ?? Date.now,
    ...(options.lines === undefined ? {} : { lines: lineSource(options.lines, options.interactive === true, (p) => { stdout += p; }) }),
  });
  return { code, stdout, stderr };
}

/** A shell input that replays `lines`, echoing prompts when interactive. */
function lineSource(lines: readonly string[], interactive: boolean, echo: (text: string) => void): LineSource {
  let next = 0;
  return {
    interactive,
    next(prompt) {
      if (interactive) echo(prompt);
      return Promise.resolve(lines[next++]);
    },
    close() { /* nothing to release */ },
  };
}
