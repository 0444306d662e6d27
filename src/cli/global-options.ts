/**
 * virtmon's global options, parsed like virsh's getopt_long("+:c:hqrvV") loop: options are read in
 * order until the first word that is not one (the command), `-h`, `-v` and `-V` act as soon as they
 * are met, long options may be abbreviated while unambiguous, and errors use virsh's wording.
 */

/** The result of parsing the global options. */
export type GlobalParse =
  | { readonly action: 'help' }
  | { readonly action: 'version'; readonly long: boolean }
  | { readonly action: 'error'; readonly message: string }
  | { readonly action: 'run'; readonly options: GlobalOptions; readonly rest: readonly string[] };

/** Options that shape a run. */
export interface GlobalOptions {
  readonly connect?: string;
  readonly readOnly: boolean;
  readonly quiet: boolean;
}

interface LongOpt {
  readonly name: string;
  readonly short: string;
  /** 'none', 'required' or 'optional' (`--version[=TYPE]`). */
  readonly arg: 'none' | 'required' | 'optional';
}

const LONG: readonly LongOpt[] = [
  { name: 'connect', short: 'c', arg: 'required' },
  { name: 'help', short: 'h', arg: 'none' },
  { name: 'quiet', short: 'q', arg: 'none' },
  { name: 'readonly', short: 'r', arg: 'none' },
  { name: 'version', short: 'v', arg: 'optional' },
];
const SHORT_WITH_ARG = new Set(['c']);
const SHORT_FLAGS = new Set(['h', 'q', 'r', 'v', 'V']);

/** Parses argv (without node and script); `rest` is the command and its words. */
export function parseGlobalOptions(argv: readonly string[]): GlobalParse {
  let connect: string | undefined;
  let readOnly = false;
  let quiet = false;
  let i = 0;
  // Returns a terminal parse result, or undefined to keep going.
  const apply = (short: string, value: string | undefined): GlobalParse | undefined => {
    switch (short) {
      case 'c': connect = value; return undefined;
      case 'h': return { action: 'help' };
      case 'q': quiet = true; return undefined;
      case 'r': readOnly = true; return undefined;
      case 'v': return { action: 'version', long: value === 'long' };
      case 'V': return { action: 'version', long: true };
      default: return { action: 'error', message: `unsupported option '-${short}'. See --help.` };
    }
  };
  while (i < argv.length) {
    const word = argv[i] ?? '';
    if (word === '--') {
      i++;
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? undefined : word.slice(eq + 1);
      const exact = LONG.find((o) => o.name === name);
      const matches = exact !== undefined ? [exact] : LONG.filter((o) => name !== '' && o.name.startsWith(name));
      const opt = matches.length === 1 ? matches[0] : undefined;
      if (opt === undefined) return { action: 'error', message: `unsupported option '${word}'. See --help.` };
      i++;
      let value = inline;
      if (opt.arg === 'none' && inline !== undefined) {
        return { action: 'error', message: `unsupported option '${word}'. See --help.` };
      }
      if (opt.arg === 'required' && value === undefined) {
        if (i >= argv.length) return missingArg(opt.short);
        value = argv[i++];
      }
      const result = apply(opt.short, value);
      if (result !== undefined) return result;
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      i++;
      for (let k = 1; k < word.length; k++) {
        const short = word[k] ?? '';
        if (SHORT_WITH_ARG.has(short)) {
          let value: string | undefined = word.slice(k + 1);
          if (value === '') {
            if (i >= argv.length) return missingArg(short);
            value = argv[i++];
          }
          const result = apply(short, value);
          if (result !== undefined) return result;
          break;
        }
        if (!SHORT_FLAGS.has(short)) return { action: 'error', message: `unsupported option '-${short}'. See --help.` };
        const result = apply(short, undefined);
        if (result !== undefined) return result;
      }
      continue;
    }
    break;
  }
  const options: GlobalOptions = { readOnly, quiet, ...(connect === undefined ? {} : { connect }) };
  return { action: 'run', options, rest: argv.slice(i) };
}

function missingArg(short: string): GlobalParse {
  const long = LONG.find((o) => o.short === short);
  return {
    action: 'error',
    message: long === undefined
      ? `option '-${short}' requires an argument`
      : `option '-${short}'/'--${long.name}' requires an argument`,
  };
}
