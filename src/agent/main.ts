/**
 * `virtmon agent [--config FILE]`: loads the config, starts the agent, and runs until SIGTERM or
 * SIGINT, then stops serving and exits 0 with every domain left running. Exit codes follow
 * sysexits: 64 bad usage, 78 bad configuration, 1 any other startup failure.
 */
import { VirtmonError, toVirtmonError } from '../domain/errors.ts';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../config/load.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { AGENT_DRIVERS } from '../drivers/index.ts';
import { runDirFor, sessionRunDir } from '../drivers/remote/socket-path.ts';
import { createLogger } from '../logger.ts';
import { startAgent } from './agent.ts';

/** sysexits.h codes the agent uses. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 64, CONFIG: 78 } as const;

const USAGE = `Usage: virtmon agent [--config FILE]

Runs the virtmon daemon: owns the hypervisor connection, samples every domain, serves the
control API on unix sockets and /healthz, /readyz (and exporters) on http.listen.

  -f, --config FILE   configuration file (default ${DEFAULT_CONFIG_PATH}; absent = defaults)
  -h, --help          this text
`;

/** What the agent's entry point needs from the process. */
export interface AgentProcess {
  readonly env: NodeJS.ProcessEnv;
  readonly uid: number;
  readonly version: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves with the signal name when the agent should stop. */
  readonly stopSignal: () => Promise<string>;
}

/** Parses the agent's arguments; undefined = print usage. */
function parseArgs(argv: readonly string[]): { config?: string; help?: true } | string {
  const out: { config?: string; help?: true } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-h' || a === '--help') out.help = true;
    else if (a === '--config' || a === '-f') {
      const v = argv[++i];
      if (v === undefined) return `option '${a}' needs a file`;
      out.config = v;
    } else if (a.startsWith('--config=')) out.config = a.slice('--config='.length);
    else return `unknown argument '${a}'`;
  }
  return out;
}

/** The run directory: config agent.runDir, else the URI's (system agents as root: /run/virtmon). */
export function agentRunDir(config: ResolvedConfig, env: NodeJS.ProcessEnv, uid: number): string {
  if (config.agent.runDir !== undefined) return config.agent.runDir;
  if (config.uri.path === '/session' || uid !== 0) return sessionRunDir(env);
  return runDirFor('system', env);
}

/** Runs the agent until a stop signal; returns the exit status. */
export async function runAgentMain(argv: readonly string[], proc: AgentProcess): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    proc.stderr(`error: ${args}\n${USAGE}`);
    return EXIT.USAGE;
  }
  if (args.help === true) {
    proc.stdout(USAGE);
    return EXIT.OK;
  }
  const configFile = args.config ?? DEFAULT_CONFIG_PATH;
  let config: ResolvedConfig;
  try {
    config = loadConfigFile(configFile, { mustExist: args.config !== undefined });
  } catch (err) {
    proc.stderr(`error: ${toVirtmonError(err).message}\n`);
    return EXIT.CONFIG;
  }
  const logger = createLogger({ level: config.log.level, format: config.log.format });
  const stopping = proc.stopSignal();
  let agent;
  try {
    agent = await startAgent({
      config, configFile, drivers: AGENT_DRIVERS, runDir: agentRunDir(config, proc.env, proc.uid),
      logger, httpLogger: logger, version: proc.version,
    });
  } catch (err) {
    const e = toVirtmonError(err);
    // An expected refusal (config, second agent) needs no stack in the log; an internal error does.
    logger.fatal({ ...(e.code === 'VIR_ERR_INTERNAL_ERROR' ? { err } : {}), code: e.code, reason: e.message }, 'agent failed to start');
    proc.stderr(`error: ${e.message}\n`);
    return e instanceof VirtmonError && e.code === 'VIRTMON_ERR_CONFIG' ? EXIT.CONFIG : EXIT.FAILURE;
  }
  const signal = await stopping;
  logger.info({ signal }, 'stopping; domains keep running');
  const timeout = new Promise<'timeout'>((resolve) => { setTimeout(() => resolve('timeout'), config.agent.stopTimeoutMs).unref(); });
  const result = await Promise.race([agent.stop().then(() => 'stopped' as const), timeout]);
  if (result === 'timeout') {
    logger.error({ timeoutMs: config.agent.stopTimeoutMs }, 'stop did not finish in time; exiting anyway');
    return EXIT.FAILURE;
  }
  logger.info('agent stopped');
  await new Promise<void>((resolve) => { logger.flush(() => resolve()); });
  return EXIT.OK;
}
