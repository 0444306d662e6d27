/**
 * Parses a whole command line into commands before anything runs (virsh's vshCommandParse): an
 * unknown command, an unknown or repeated option, a missing value or a missing required option
 * aborts the whole `;` chain. `--help` anywhere turns the command into `help COMMAND`; a lone `--`
 * makes every later word positional.
 */
import type { CommandDef, OptionDef } from '../command-def.ts';
import type { Token } from './tokenize.ts';

/** One parsed command, ready to run. */
export interface ParsedCommand {
  readonly def: CommandDef;
  readonly values: Map<string, true | string | string[]>;
}

/** A parse error; `messages` are virsh's `error: …` lines without the prefix. */
export class CommandLineError extends Error {
  override readonly name = 'CommandLineError';
  readonly messages: readonly string[];

  constructor(messages: readonly string[]) {
    super(messages.join('; '));
    this.messages = messages;
  }
}

/** Looks a command up by name. */
export type CommandLookup = (name: string) => CommandDef | undefined;

/** Parses tokens into commands; throws CommandLineError. */
export function parseCommandLine(tokens: readonly Token[], lookup: CommandLookup): ParsedCommand[] {
  const out: ParsedCommand[] = [];
  let i = 0;
  while (i < tokens.length) {
    const end = findEnd(tokens, i);
    const words = tokens.slice(i, end).map((t) => (t.kind === 'word' ? t.text : ''));
    if (words.length > 0) out.push(parseOne(words, lookup));
    i = end + 1;
  }
  return out;
}

function findEnd(tokens: readonly Token[], from: number): number {
  for (let j = from; j < tokens.length; j++) if (tokens[j]?.kind === 'end') return j;
  return tokens.length;
}

function parseOne(words: readonly string[], lookup: CommandLookup): ParsedCommand {
  const [name = '', ...rest] = words;
  const def = lookup(name);
  if (def === undefined) throw new CommandLineError([`unknown command: '${name}'`]);
  const isHelp = def.name === 'help';
  const values = new Map<string, true | string | string[]>();
  let wantsHelp = false;
  let dataOnly = false;
  for (let k = 0; k < rest.length; k++) {
    const word = rest[k] ?? '';
    if (!dataOnly && /^--[A-Za-z0-9]/.test(word)) {
      const eq = word.indexOf('=');
      const optName = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const inline = eq < 0 ? undefined : word.slice(eq + 1);
      if (optName === 'help') {
        wantsHelp = true;
        continue;
      }
      const opt = def.options.find((o) => o.name === optName);
      if (opt === undefined) {
        if (isHelp) continue;
        throw new CommandLineError([`command '${def.name}' doesn't support option --${optName}`]);
      }
      if (values.has(opt.name) && opt.type !== 'argv') {
        throw new CommandLineError([`option --${opt.name} already seen`]);
      }
      if (opt.type === 'bool') {
        if (inline !== undefined) throw new CommandLineError([`invalid '=' after option --${opt.name}`]);
        values.set(opt.name, true);
        continue;
      }
      let value = inline;
      if (value === undefined) {
        if (k + 1 >= rest.length) {
          throw new CommandLineError([`expected syntax: --${opt.name} <${opt.type === 'int' ? 'number' : 'string'}>`]);
        }
        value = rest[++k] ?? '';
      }
      store(values, opt, value);
      continue;
    }
    if (!dataOnly && word === '--') {
      dataOnly = true;
      continue;
    }
    const slot = def.options.find((o) => takesPositional(o) && (o.type === 'argv' || !values.has(o.name)));
    if (slot === undefined) {
      if (isHelp) continue;
      throw new CommandLineError([`unexpected data '${word}'`]);
    }
    store(values, slot, word);
  }
  if (wantsHelp) {
    const help = lookup('help');
    if (help !== undefined) return { def: help, values: new Map([['command', def.name]]) };
  }
  const missing = def.options.filter((o) => isRequired(o) && !values.has(o.name));
  if (missing.length > 0) {
    throw new CommandLineError(missing.map((o) => (o.type === 'data' || o.type === 'argv'
      ? `command '${def.name}' requires <${o.name}> option`
      : `command '${def.name}' requires --${o.name} option`)));
  }
  return { def, values };
}

function store(values: Map<string, true | string | string[]>, opt: OptionDef, value: string): void {
  if (opt.type === 'argv') {
    const list = values.get(opt.name);
    if (Array.isArray(list)) list.push(value);
    else values.set(opt.name, [value]);
  } else {
    values.set(opt.name, value);
  }
}

/** Every option that takes a value can be filled by a bare word, in definition order. */
function takesPositional(o: OptionDef): boolean {
  return o.type !== 'bool';
}

/** `data` options are required unless marked otherwise; others only when marked. */
export function isRequired(o: OptionDef): boolean {
  return o.type === 'data' ? o.required !== false : o.required === true;
}
