/** `help [COMMAND|GROUP]` (cmdHelp); also what `COMMAND --help` turns into. */
import { COMMAND_GROUPS, type CommandDef } from '../command-def.ts';
import { formatCommandHelp, formatGroupedHelp, formatGroupHelp } from '../format/help.ts';

/** Prints help for everything, one command, or one group. */
export const help: CommandDef = {
  name: 'help',
  group: 'virsh',
  help: 'print help',
  desc: 'Prints global help, command specific help, or help for a\n    group of related commands',
  options: [{
    name: 'command',
    type: 'data',
    required: false,
    help: 'Prints global help, command specific help, or help for a group of related commands',
  }],
  noConnect: true,
  run({ session, commands }, opts) {
    const name = opts.string('command');
    if (name === undefined || name === '') {
      session.out.print(formatGroupedHelp(commands));
      return Promise.resolve(true);
    }
    const def = commands.find((c) => c.name === name);
    if (def !== undefined) {
      session.out.print(formatCommandHelp(def));
      return Promise.resolve(true);
    }
    const group = COMMAND_GROUPS.find((g) => g.keyword === name || g.name === name);
    if (group !== undefined) {
      session.out.print(formatGroupHelp(commands, group.keyword));
      return Promise.resolve(true);
    }
    session.out.error(`command or command group '${name}' doesn't exist`);
    return Promise.resolve(false);
  },
};

/** `quit` and `exit`: leave the shell (in a `;` chain they end the chain). */
function quitCommand(name: string): CommandDef {
  return {
    name,
    group: 'virsh',
    help: 'quit this interactive terminal',
    desc: '',
    options: [],
    noConnect: true,
    run({ session }) {
      session.quitRequested = true;
      return Promise.resolve(true);
    },
  };
}

/** `quit`. */
export const quit = quitCommand('quit');
/** `exit`, the same as `quit`. */
export const exit = quitCommand('exit');
