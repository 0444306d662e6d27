/**
 * Where command output goes, with virsh's two kinds of normal output: `print` always (vshPrint),
 * `extra` only without `-q` (vshPrintExtra: action messages, the blank line after each command).
 * Errors go to stderr as `error: MESSAGE`.
 */

/** The two streams, injectable so tests run the CLI in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Output of one CLI run. */
export class Output {
  readonly #io: CliIo;
  readonly quiet: boolean;

  constructor(io: CliIo, quiet: boolean) {
    this.#io = io;
    this.quiet = quiet;
  }

  /** Output that `-q` keeps (data). */
  print(text: string): void {
    if (text !== '') this.#io.stdout(text);
  }

  /** Output that `-q` drops (messages, decoration). */
  extra(text: string): void {
    if (!this.quiet && text !== '') this.#io.stdout(text);
  }

  /** One `error: …` line on stderr. */
  error(message: string): void {
    this.#io.stderr(`error: ${message}${message.endsWith('\n') ? '' : '\n'}`);
  }

  /** Raw text on stderr (debug stacks). */
  diagnostic(text: string): void {
    this.#io.stderr(text.endsWith('\n') ? text : `${text}\n`);
  }
}
