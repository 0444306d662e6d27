/**
 * `agent`: listed in the CLI's help so `virtmon help` shows the daemon, but it runs as its own process
 * (src/cli/main.ts hands `virtmon agent …` to src/agent/main.ts before the CLI parses anything). Inside
 * the shell or a `;` chain it cannot start a daemon, so it says how to run it instead.
 */
import { DEFAULT_CONFIG_PATH } from '../../config/load.ts';
import type { CommandDef } from '../command-def.ts';

/** `agent [--config FILE]`, the entry in the command table for `virtmon agent`. */
export const agent: CommandDef = {
  name: 'agent',
  group: 'virsh',
  help: 'run the virtmon host agent (daemon)',
  desc: 'Runs the virtmon daemon: owns the hypervisor connection, samples every domain, serves the\n' +
    '    control API on unix sockets and /healthz, /readyz (and exporters) on http.listen.\n' +
    '    Start it as its own process: virtmon agent [--config FILE] (virtmon agent --help).',
  options: [{ name: 'config', type: 'string', help: `configuration file (default ${DEFAULT_CONFIG_PATH})` }],
  noConnect: true,
  run({ session }) {
    session.out.error("'agent' runs as its own process, not in a command string or the shell: virtmon agent [--config FILE]");
    return Promise.resolve(false);
  },
};
