/**
 * The `virtmon` command (bin/virtmon.js runs this file): wires the CLI to the process, the driver
 * table and the clock, and turns anything unexpected into an `error:` line and exit status 1.
 * `virtmon agent …` runs the daemon instead (src/agent/main.ts).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import { openConnection } from '../drivers/dispatch.ts';
import { DRIVERS } from '../drivers/index.ts';
import { createRemoteDriver } from '../drivers/remote/driver.ts';
import { testDriver } from '../drivers/test/driver.ts';
import { clientConfigPath, loadClientConfig } from './client-config.ts';
import { remoteCredentials } from './remote-credentials.ts';
import { toVirtmonError } from '../domain/errors.ts';
import { runCli } from './run.ts';
import type { LineSource } from './shell.ts';

/** Writes to a stream, ignoring a closed pipe (`virtmon list | head -1`). */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  return (text) => { stream.write(text); };
}

/** Resolves once everything written to the stream has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => { stream.write('', () => resolve()); });
}

/** stdin as the shell's line source; the readline interface is made only if the shell runs. */
function stdinLines(): LineSource {
  const interactive = process.stdin.isTTY === true;
  let rl: Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  return {
    interactive,
    async next(prompt) {
      if (rl === undefined) {
        rl = createInterface({ input: process.stdin, ...(interactive ? { output: process.stdout } : {}), terminal: interactive });
        lines = rl[Symbol.asyncIterator]();
      }
      if (interactive) {
        rl.setPrompt(prompt);
        rl.prompt();
      }
      const r = await lines?.next();
      return r === undefined || r.done === true ? undefined : r.value;
    },
    close() {
      rl?.close();
    },
  };
}

/** Resolves with the first SIGTERM or SIGINT (the agent's stop request). */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

async function main(): Promise<number> {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  if (process.argv[2] === 'agent') {
    const { runAgentMain } = await import('../agent/main.ts');
    return runAgentMain(process.argv.slice(3), {
      env: process.env, uid: process.getuid?.() ?? -1, version: pkg.version,
      stdout: writer(process.stdout), stderr: writer(process.stderr), stopSignal,
    });
  }
  // test:/// in-process; qemu:// and DRIVER+TRANSPORT:// through an agent, TCP agents with the token and
  // TLS material of VIRTMON_TOKEN and the client config (read only when such a URI is opened).
  const uid = process.getuid?.() ?? -1;
  const credentials = () => remoteCredentials(process.env, loadClientConfig(clientConfigPath({ env: process.env, uid, homedir: homedir() })));
  const cliDrivers = [testDriver, createRemoteDriver(process.env, credentials)];
  return runCli(process.argv.slice(2), { stdout: writer(process.stdout), stderr: writer(process.stderr) }, {
    version: pkg.version,
    driverNames: DRIVERS.map((d) => d.name),
    open: (uri, options) => openConnection(uri, cliDrivers, options),
    env: process.env,
    uid: process.getuid?.() ?? -1,
    homedir: homedir(),
    cwd: process.cwd(),
    clock: Date.now,
    lines: stdinLines(),
  });
}

let code: number;
try {
  code = await main();
} catch (err) {
  if (process.env.VIRTMON_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack ?? err.message}\n`);
  process.stderr.write(`error: ${toVirtmonError(err).message}\n`);
  code = 1;
}
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
