/**
 * One CLI invocation, virsh's way: global options, the client config, the whole command line parsed
 * before anything runs, then each command of the `;` chain on one shared connection, a blank line
 * after each (dropped by -q), and the last command's status as the exit status.
 */
import type { CommandDef } from './command-def.ts';
import { ParsedOptions } from './command-def.ts';
import { COMMANDS, findCommand } from './commands/index.ts';
import { clientConfigPath, loadClientConfig, type ClientConfig } from './client-config.ts';
import { formatUsage } from './format/help.ts';
import { formatLongVersion, formatShortVersion } from './format/version.ts';
import { parseGlobalOptions } from './global-options.ts';
import { Output, type CliIo } from './output.ts';
import { CommandLineError, parseCommandLine, type ParsedCommand } from './parse/command-line.ts';
import { TokenizeError, tokenizeArgv, tokenizeString } from './parse/tokenize.ts';
import { Session, type OpenFn } from './session.ts';
import { parseLine, runShell, type LineSource } from './shell.ts';
import { toVirtmonError } from '../domain/errors.ts';

/** What the CLI needs from its surroundings (all injectable for in-process tests). */
export interface CliDeps {
  /** virtmon's version (package.json). */
  readonly version: string;
  /** Names of the drivers in the driver table (`-V`). */
  readonly driverNames: readonly string[];
  readonly open: OpenFn;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly uid: number;
  readonly homedir: string;
  readonly cwd: string;
  readonly clock: () => number;
  /** Program name in usage text. */
  readonly progname?: string;
  /** Lines for the shell when no command is given; without it, the usage is printed instead. */
  readonly lines?: LineSource;
}

/** Runs one invocation and returns the exit status. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const errOut = new Output(io, false);
  const parsed = parseGlobalOptions(argv);
  switch (parsed.action) {
    case 'error':
      errOut.error(parsed.message);
      return 1;
    case 'help':
      io.stdout(formatUsage(deps.progname ?? 'virtmon', COMMANDS));
      return 0;
    case 'version':
      io.stdout(parsed.long ? formatLongVersion(deps.version, deps.driverNames) : formatShortVersion(deps.version));
      return 0;
    case 'run':
      break;
  }
  const { options, rest } = parsed;
  if (rest.length === 0 && deps.lines === undefined) {
    io.stdout(formatUsage(deps.progname ?? 'virtmon', COMMANDS));
    return 0;
  }
  let config: ClientConfig;
  let commands: ParsedCommand[] = [];
  try {
    config = loadClientConfig(clientConfigPath({ env: deps.env, uid: deps.uid, homedir: deps.homedir }));
    if (rest.length > 0) {
      const tokens = rest.length === 1 ? tokenizeString(rest[0] ?? '') : tokenizeArgv(rest);
      commands = parseCommandLine(tokens, findCommand);
    }
  } catch (err) {
    if (err instanceof CommandLineError) err.messages.forEach((m) => errOut.error(m));
    else if (err instanceof TokenizeError) errOut.error(err.message);
    else errOut.error(toVirtmonError(err).message);
    return 1;
  }
  const session = new Session({
    out: new Output(io, options.quiet),
    open: deps.open,
    uriFlag: options.connect,
    uriEnv: deps.env.VIRTMON_DEFAULT_URI,
    uriConfig: config.uriDefault,
    aliases: config.aliases,
    readOnly: options.readOnly,
    debug: deps.env.VIRTMON_DEBUG === '1',
    version: deps.version,
    clock: deps.clock,
    cwd: deps.cwd,
  });
  try {
    // -c names a connection that must work before anything runs; the default one is opened on demand.
    if (options.connect !== undefined && !(await session.connect())) return 1;
    if (rest.length === 0 && deps.lines !== undefined) {
      return await runShell(session, deps.lines, async (line) => {
        const parsedLine = parseLine(session, line, findCommand);
        if (parsedLine !== undefined) await runCommands(session, parsedLine);
        return !session.quitRequested;
      });
    }
    return (await runCommands(session, commands)) ? 0 : 1;
  } finally {
    await session.close();
  }
}

/** Runs a parsed `;` chain; returns the last command's status. `quit` stops the chain. */
async function runCommands(session: Session, commands: readonly ParsedCommand[]): Promise<boolean> {
  let ok = true;
  for (const cmd of commands) {
    ok = await runOne(session, cmd.def, new ParsedOptions(cmd.values));
    if (session.quitRequested) break;
    session.out.extra('\n');
  }
  return ok;
}

async function runOne(session: Session, def: CommandDef, opts: ParsedOptions): Promise<boolean> {
  if (def.noConnect !== true && !(await session.connect())) return false;
  try {
    return await def.run({ session, commands: COMMANDS }, opts);
  } catch (err) {
    session.report(err);
    return false;
  }
}
