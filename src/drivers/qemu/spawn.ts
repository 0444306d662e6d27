/**
 * Spawning QEMU so that it outlives the process holding the driver (DESIGN.md: QEMU processes outlive
 * the agent): its own process group, stdin closed, stdout and stderr appended to the domain's log
 * file (never a pipe to us), a minimal environment, and the child handle unref'd. The log keeps a
 * header line per start, and the offset where this start's output begins, for error messages.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { access, constants, open, readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { VirtmonError } from '../../domain/errors.ts';

/** A started QEMU. */
export interface SpawnedQemu {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Where this start's output begins in the log file. */
  readonly logOffset: number;
  /** Resolves when the process exits (only while this process is its parent). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Quotes an argument for the log's command-line header (display only; nothing runs it). */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=,:@+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Checks that an emulator given by path can be executed (libvirt: `Cannot find QEMU binary X`). */
export async function checkEmulator(binary: string): Promise<void> {
  if (!isAbsolute(binary)) return; // looked up in PATH by spawn
  try {
    await access(binary, constants.X_OK);
  } catch (err) {
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `Cannot find QEMU binary ${binary}: ${(err as Error).message}`, { cause: err });
  }
}

/** Starts `binary argv` detached, output to `logPath`. */
export async function spawnQemu(binary: string, argv: readonly string[], logPath: string): Promise<SpawnedQemu> {
  const fh = await open(logPath, 'a', 0o600);
  let child: ChildProcess;
  let logOffset: number;
  try {
    await fh.write(`${new Date().toISOString()}: starting up\nLC_ALL=C ${[binary, ...argv].map(shellQuote).join(' ')}\n`);
    logOffset = (await fh.stat()).size;
    child = spawn(binary, argv, {
      detached: true,
      stdio: ['ignore', fh.fd, fh.fd],
      env: { LC_ALL: 'C', PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/' },
    });
  } finally {
    await fh.close();
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, sig) => resolve({ code, signal: sig }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  if (child.pid === undefined) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `Cannot find QEMU binary ${binary}: ${err.message}`, { cause: err });
  }
  child.unref();
  return { child, pid: child.pid, logOffset, exited };
}

/** The last lines QEMU wrote since `offset` (at most `maxBytes`), trimmed; '' when none. */
export async function readLogTail(logPath: string, offset: number, maxBytes = 2048): Promise<string> {
  try {
    const text = (await readFile(logPath)).subarray(offset).toString('utf8');
    const tail = text.length > maxBytes ? text.slice(-maxBytes) : text;
    return tail.trim();
  } catch {
    return '';
  }
}
