import pino from 'pino';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { lineRedactor, secretValuesFrom } from './redaction';

const temporalLevel: Record<pino.Level, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR' };
const pinoLevel: Record<LogLevel, pino.Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * JSON logs by default (for log shippers); readable lines when a person watches a terminal. Credentials
 * never reach the output: see `lineRedactor`. Tests pass a destination to read the lines back.
 */
export function createLogger(destination?: pino.DestinationStream, env: Record<string, string | undefined> = process.env): pino.Logger {
  const pretty = !destination && process.stdout.isTTY;
  return pino(
    {
      level: env.LOG_LEVEL ?? 'info',
      // Temporal reports failures under `error`; without this an Error prints as {}.
      serializers: { error: pino.stdSerializers.err },
      hooks: { streamWrite: lineRedactor(secretValuesFrom(env)) },
      ...(pretty && { transport: { target: 'pino-pretty', options: { colorize: true } } }),
    },
    destination,
  );
}

export const logger = createLogger();

/** A Temporal logger writing to `target`: the runtime's own logs, and workflow and activity `log` calls. */
export function temporalLogger(target: pino.Logger): DefaultLogger {
  return new DefaultLogger(temporalLevel[target.level as pino.Level] ?? 'INFO', ({ level, message, meta }) => target[pinoLevel[level]](meta ?? {}, message));
}

/**
 * Installs the process-wide Temporal runtime (once per process): its logs go through pino and, given
 * `metricsAddress` (host:port), Prometheus can scrape http://<metricsAddress>/metrics.
 */
export function installTemporalRuntime({ metricsAddress }: { metricsAddress?: string }): void {
  try {
    Runtime.install({
      logger: temporalLogger(logger),
      ...(metricsAddress && {
        telemetryOptions: {
          metrics: {
            prometheus: {
              bindAddress: metricsAddress,
              // Steps take seconds to hours; the default buckets stop at 10 seconds.
              histogramBucketOverrides: { etl_step_duration: [1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000] },
            },
          },
        },
      }),
    });
  } catch (err) {
    if (metricsAddress && /prometheus/i.test(String(err))) {
      throw new Error(`cannot serve metrics on ${metricsAddress} (${(err as Error).message}): pass --metrics-address with a free host:port, or "off"`, {
        cause: err,
      });
    }
    throw err;
  }
}
