/**
 * The command table's types, after virsh's vshCmdDef/vshCmdOptDef: each command names its group,
 * help texts and options, and a handler that returns whether it succeeded (the exit status of the
 * last command in a `;` chain is the status of the run).
 */
import type { Session } from './session.ts';

/**
 * Option kinds (VSH_OT_*): `bool` is a flag; `data` is a required positional value (`<domain>`);
 * `string` and `int` take a value and may also be given positionally; `argv` collects the remaining
 * positional values.
 */
export type OptionType = 'bool' | 'data' | 'string' | 'int' | 'argv';

/** One option of a command. */
export interface OptionDef {
  readonly name: string;
  readonly type: OptionType;
  /** Required (VSH_OFLAG_REQ); `data` options are always required except for `help`'s. */
  readonly required?: boolean;
  readonly help: string;
}

/** The help groups of `virtmon help`, in order, with their keywords. */
export const COMMAND_GROUPS = [
  { keyword: 'domain', name: 'Domain Management' },
  { keyword: 'monitor', name: 'Domain Monitoring' },
  { keyword: 'host', name: 'Host and Hypervisor' },
  { keyword: 'virsh', name: 'Virtmon itself' },
] as const;
/** A group keyword. */
export type GroupKeyword = (typeof COMMAND_GROUPS)[number]['keyword'];

/** Option values of one parsed command: flags as true, values as strings, argv as a list. */
export type OptionValues = ReadonlyMap<string, true | string | readonly string[]>;

/** What a handler gets besides its options. */
export interface CommandContext {
  readonly session: Session;
  /** The whole command table (for `help`). */
  readonly commands: readonly CommandDef[];
}

/** One command. */
export interface CommandDef {
  readonly name: string;
  readonly group: GroupKeyword;
  /** One line for the command lists. */
  readonly help: string;
  /** The DESCRIPTION paragraph of `COMMAND --help` (empty = no such section). */
  readonly desc: string;
  readonly options: readonly OptionDef[];
  /** True for commands that never need a connection (help). */
  readonly noConnect?: boolean;
  run(ctx: CommandContext, opts: ParsedOptions): Promise<boolean>;
}

/** Typed access to a command's parsed options. */
export class ParsedOptions {
  readonly #values: OptionValues;

  constructor(values: OptionValues) {
    this.#values = values;
  }

  /** True when the flag was given. */
  bool(name: string): boolean {
    return this.#values.get(name) === true;
  }

  /** The value of a string option, or undefined when not given. */
  string(name: string): string | undefined {
    const v = this.#values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  /** The value of a required option (the parser guarantees it is there). */
  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new TypeError(`option --${name} was not parsed`);
    return v;
  }

  /** The values of an argv option (empty when none). */
  list(name: string): readonly string[] {
    const v = this.#values.get(name);
    return Array.isArray(v) ? (v as readonly string[]) : [];
  }
}
