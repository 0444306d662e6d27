/**
 * The logging interface every room receives (pino's shape, so the agent passes a pino child logger).
 * Rooms never import pino; tests pass {@link silentLogger} or a recording logger.
 */

/** A log method: structured fields first, then the message (pino's calling convention). */
export interface LogFn {
  (fields: Record<string, unknown>, message?: string): void;
  (message: string): void;
}

/** A structured logger. */
export interface Logger {
  readonly trace: LogFn;
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
  readonly fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  const nop: LogFn = () => undefined;
  const logger: Logger = {
    trace: nop, debug: nop, info: nop, warn: nop, error: nop, fatal: nop,
    child: () => logger,
  };
  return logger;
}

/** One recorded log line (for tests). */
export interface RecordedLog {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps every line in `lines` (child bindings merged into fields). */
export function recordingLogger(lines: RecordedLog[] = [], bindings: Record<string, unknown> = {}): Logger & { lines: RecordedLog[] } {
  const at = (level: RecordedLog['level']): LogFn =>
    (a: Record<string, unknown> | string, b?: string) => {
      if (typeof a === 'string') lines.push({ level, message: a, fields: { ...bindings } });
      else lines.push({ level, message: b ?? '', fields: { ...bindings, ...a } });
    };
  return {
    lines,
    trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}
