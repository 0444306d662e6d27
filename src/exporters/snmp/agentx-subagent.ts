/** Placeholder replaced by the AgentX subagent. */
import type { Logger } from '../../domain/logger.ts';
import type { SnmpEngine } from './engine.ts';
import type { VarBind } from './values.ts';

/** Settings of {@link AgentxSubagent}. */
export interface AgentxOptions {
  readonly engine: SnmpEngine;
  readonly target: string;
  readonly logger: Logger;
  readonly uptime: () => number;
}

/** AgentX subagent (RFC 2741). */
export class AgentxSubagent {
  notifies = 0;
  constructor(_options: AgentxOptions) {}
  /** Connects. */
  start(): Promise<void> { return Promise.resolve(); }
  /** Disconnects. */
  stop(): Promise<void> { return Promise.resolve(); }
  /** Sends a Notify. */
  notify(_varbinds: readonly VarBind[]): void { this.notifies += 0; }
}
