/**
 * virtmon without a command: virsh's interactive shell. Each line is parsed and run like a command
 * line, on one connection kept for the whole session; `quit` or `exit` (or end of input) leaves.
 * On a terminal it greets and prompts (`virtmon # `, `virtmon > ` when read-only); from a pipe it
 * only runs the lines, so `virtmon < script` works like a long `;` chain that goes on after errors.
 */
import type { CommandLookup } from './parse/command-line.ts';
import { CommandLineError, parseCommandLine } from './parse/command-line.ts';
import { TokenizeError, tokenizeString } from './parse/tokenize.ts';
import type { Session } from './session.ts';

/** Where the shell's lines come from. */
export interface LineSource {
  /** True on a terminal: greet and prompt. */
  readonly interactive: boolean;
  /** The next line (the prompt is shown first when interactive); undefined at end of input. */
  next(prompt: string): Promise<string | undefined>;
  /** Releases the input (the terminal's raw mode) once the shell ends. */
  close(): void;
}

/** Runs one parsed line; returns false when the session should end. */
export type LineRunner = (line: string) => Promise<boolean>;

/** Runs the shell until quit or end of input; the exit status is 0, as virsh's. */
export async function runShell(session: Session, source: LineSource, runLine: LineRunner): Promise<number> {
  if (source.interactive) {
    session.out.extra("Welcome to virtmon, the virtualization interactive terminal.\n\n" +
      "Type:  'help' for help with commands\n       'quit' to quit\n\n");
  }
  const prompt = session.deps.readOnly ? 'virtmon > ' : 'virtmon # ';
  try {
    for (;;) {
      const line = await source.next(prompt);
      if (line === undefined) {
        if (source.interactive) session.out.print('\n');
        return 0;
      }
      if (line.trim() === '') continue;
      if (!(await runLine(line))) return 0;
    }
  } finally {
    source.close();
  }
}

/** Parses one shell line; prints virsh's parse errors and returns undefined for a bad line. */
export function parseLine(session: Session, line: string, lookup: CommandLookup): ReturnType<typeof parseCommandLine> | undefined {
  try {
    return parseCommandLine(tokenizeString(line), lookup);
  } catch (err) {
    if (err instanceof CommandLineError) err.messages.forEach((m) => session.out.error(m));
    else if (err instanceof TokenizeError) session.out.error(err.message);
    else throw err;
    return undefined;
  }
}
