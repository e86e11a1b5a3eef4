import pino from 'pino';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

/** JSON logs by default (for log shippers); readable lines when a person watches a terminal. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  ...(process.stdout.isTTY && { transport: { target: 'pino-pretty', options: { colorize: true } } }),
});

const pinoLevel: Record<LogLevel, pino.Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** Routes the Temporal runtime's logs, and workflow and activity `log` calls, through pino. */
export function installTemporalLogging(): void {
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => logger[pinoLevel[level]](meta ?? {}, message)),
  });
}
