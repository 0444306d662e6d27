/**
 * One CLI run's state: the output, the URI sources and the single connection every command of a
 * `;` chain shares (so `test:///default` state carries from one command to the next). Connects
 * eagerly for `-c` and lazily otherwise, as virsh does, and reports failures in virsh's words.
 */
import type { Connection } from '../drivers/dispatch.ts';
import type { OpenOptions } from '../drivers/driver.ts';
import { resolveUri, type ParsedUri } from '../drivers/uri.ts';
import { toVirtmonError, VirtmonError } from '../domain/errors.ts';
import type { Output } from './output.ts';

/** Opens a connection for a URI (the driver table's probe). */
export type OpenFn = (uri: ParsedUri, options: OpenOptions) => Promise<Connection>;

/** Everything a session needs from outside. */
export interface SessionDeps {
  readonly out: Output;
  readonly open: OpenFn;
  /** `-c` value, VIRTMON_DEFAULT_URI, the client config's `uri_default`. */
  readonly uriFlag?: string | undefined;
  readonly uriEnv?: string | undefined;
  readonly uriConfig?: string | undefined;
  readonly aliases: ReadonlyMap<string, string>;
  readonly readOnly: boolean;
  /** Print stacks of unexpected exceptions (VIRTMON_DEBUG=1). */
  readonly debug: boolean;
  /** virtmon's version, the CLI's drivers, and the clock for samples. */
  readonly version: string;
  readonly clock: () => number;
  readonly cwd: string;
}

/** One run's connection and error reporting. */
export class Session {
  readonly out: Output;
  readonly deps: SessionDeps;
  #conn: Connection | undefined;
  /** Set by `quit`/`exit`: the chain and the shell stop. */
  quitRequested = false;

  constructor(deps: SessionDeps) {
    this.deps = deps;
    this.out = deps.out;
  }

  /** The open connection; only valid inside a command that needs one (the runner connected). */
  get conn(): Connection {
    if (this.#conn === undefined) throw new VirtmonError('VIR_ERR_INTERNAL_ERROR', 'no connection');
    return this.#conn;
  }

  /** True once connected. */
  get connected(): boolean {
    return this.#conn !== undefined;
  }

  /**
   * Connects if not connected yet. On failure prints `failed to connect to the hypervisor` and the
   * reason, and returns false.
   */
  async connect(): Promise<boolean> {
    if (this.#conn !== undefined) return true;
    try {
      const uri = resolveUri(
        { flag: this.deps.uriFlag, env: this.deps.uriEnv, configDefault: this.deps.uriConfig },
        this.deps.aliases,
      );
      this.#conn = await this.deps.open(uri, { readOnly: this.deps.readOnly, clock: this.deps.clock });
      return true;
    } catch (err) {
      this.out.error('failed to connect to the hypervisor');
      this.report(err);
      return false;
    }
  }

  /** Prints an error as virsh's vshReportError does; unexpected exceptions never show a stack
   * unless debugging, and then the stack of the original exception a VirtmonError wraps. */
  report(err: unknown): void {
    const e = toVirtmonError(err);
    if (this.deps.debug) {
      const origin = err instanceof VirtmonError && err.cause instanceof Error ? err.cause : err;
      if (origin instanceof Error && origin.stack !== undefined) this.out.diagnostic(origin.stack);
    }
    this.out.error(e.message);
  }

  /** Closes the connection (errors on close are reported, not thrown). */
  async close(): Promise<void> {
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn === undefined) return;
    try {
      await conn.close();
    } catch (err) {
      this.report(err);
    }
  }
}
