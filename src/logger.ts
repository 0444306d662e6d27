/**
 * The agent's pino logger: JSON lines on stdout, or pretty when asked for (or `auto` on a terminal).
 * Rooms receive it as the {@link Logger} interface of src/domain/logger.ts.
 */
import { pino, type Logger as PinoLogger } from 'pino';

/** Logger settings (the `log` block of virtmon.yaml). */
export interface LoggerOptions {
  readonly level: string;
  readonly format: 'json' | 'pretty' | 'auto';
  /** Destination stream; stdout by default. */
  readonly destination?: NodeJS.WritableStream;
}

/** Builds the root logger (a pino instance: rooms see it as domain/logger's Logger, fastify as its own). */
export function createLogger(options: LoggerOptions): PinoLogger {
  const pretty = options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY);
  if (pretty && options.destination === undefined) {
    return pino({
      level: options.level,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:standard', ignore: 'pid,hostname' } },
    });
  }
  return pino({ level: options.level, base: { pid: process.pid } }, options.destination ?? process.stdout);
}
