/**
 * Help texts in virsh's layout (tools/vsh.c vshCmddefHelp, cmdHelp, vshCmdGrpHelp; tools/virsh.c
 * virshUsage): NAME / SYNOPSIS / DESCRIPTION / OPTIONS for one command, grouped lists otherwise.
 */
import { COMMAND_GROUPS, type CommandDef, type GroupKeyword } from '../command-def.ts';
import { isRequired } from '../parse/command-line.ts';
import { padRight } from './printf.ts';

/** `COMMAND --help` / `help COMMAND`. */
export function formatCommandHelp(def: CommandDef): string {
  let shortopt = false;
  const synopsis: string[] = [def.name];
  const rows: string[] = [];
  for (const o of def.options) {
    const req = isRequired(o);
    switch (o.type) {
      case 'bool':
        synopsis.push(`[--${o.name}]`);
        rows.push(`--${o.name}`);
        break;
      case 'int':
        synopsis.push(req ? `<${o.name}>` : `[--${o.name} <number>]`);
        rows.push(req ? `[--${o.name}] <number>` : `--${o.name} <number>`);
        shortopt = true;
        break;
      case 'string':
        synopsis.push(`[--${o.name} <string>]`);
        rows.push(`--${o.name} <string>`);
        shortopt = true;
        break;
      case 'data':
        synopsis.push(req ? `<${o.name}>` : `[<${o.name}>]`);
        rows.push(`[--${o.name}] <string>`);
        shortopt = true;
        break;
      case 'argv':
        synopsis.push(shortopt
          ? (req ? `{[--${o.name}] <string>}...` : `[[--${o.name}] <string>]...`)
          : (req ? `<${o.name}>...` : `[<${o.name}>]...`));
        rows.push(shortopt ? `[--${o.name}] <string>` : `<${o.name}>`);
        break;
    }
  }
  let out = `  NAME\n    ${def.name} - ${def.help}\n\n  SYNOPSIS\n    ${synopsis.join(' ')}\n`;
  if (def.desc !== '') out += `\n  DESCRIPTION\n    ${def.desc}\n`;
  if (def.options.length > 0) {
    out += '\n  OPTIONS\n';
    def.options.forEach((o, i) => { out += `    ${padRight(rows[i] ?? '', 15)}  ${o.help}\n`; });
  }
  return `${out}\n`;
}

/** The commands of one group, in table order. */
function commandsOf(commands: readonly CommandDef[], group: GroupKeyword): CommandDef[] {
  return commands.filter((c) => c.group === group);
}

/** `help` without an argument. */
export function formatGroupedHelp(commands: readonly CommandDef[]): string {
  let out = 'Grouped commands:\n\n';
  for (const g of COMMAND_GROUPS) out += `${formatGroupHelp(commands, g.keyword)}\n`;
  return out;
}

/** `help GROUP`. */
export function formatGroupHelp(commands: readonly CommandDef[], keyword: GroupKeyword): string {
  const group = COMMAND_GROUPS.find((g) => g.keyword === keyword);
  let out = ` ${group?.name ?? keyword} (help keyword '${keyword}'):\n`;
  for (const c of commandsOf(commands, keyword)) out += `    ${padRight(c.name, 30)} ${c.help}\n`;
  return out;
}

/** `-h` / `--help` of the program itself. */
export function formatUsage(progname: string, commands: readonly CommandDef[]): string {
  let out = `\n${progname} [options]... [<command_string>]\n${progname} [options]... <command> [args...]\n\n` +
    '  options:\n' +
    '    -c | --connect=URI      hypervisor connection URI\n' +
    '    -h | --help             this help\n' +
    '    -q | --quiet            quiet mode\n' +
    '    -r | --readonly         connect readonly\n' +
    '    -v                      short version\n' +
    '    -V                      long version\n' +
    '         --version[=TYPE]   version, TYPE is short or long (default short)\n' +
    '  commands (non interactive mode):\n\n';
  for (const g of COMMAND_GROUPS) {
    out += ` ${g.name} (help keyword '${g.keyword}')\n`;
    for (const c of commandsOf(commands, g.keyword)) out += `    ${padRight(c.name, 30)} ${c.help}\n`;
    out += '\n';
  }
  out += '\n  (specify help <group> for details about the commands in the group)\n';
  out += '\n  (use --help inside a command to get details about commands)\n\n';
  return out;
}
