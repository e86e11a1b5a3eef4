import { ConfigError } from '../config/configError';
import { InvalidDateError } from '../shared/dates';
import { TargetError } from './target';

export const exitCodes = { ok: 0, failed: 1, badInput: 2 } as const;

/** Bad input from the user: exit code 2, one line, nothing started. */
export class UsageError extends Error {}

/** Runs `parse` and turns input errors (config, dates) into a UsageError with the same message. */
export function parseInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof InvalidDateError) throw new UsageError(err.message);
    throw err;
  }
}

/** One line that says what went wrong and, where we know, what to do about it. */
export function failureMessage(err: unknown): string {
  if (err instanceof UsageError || err instanceof TargetError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  if (/ECONNREFUSED|UNAVAILABLE|failed to connect|transport error|Failed to connect/i.test(message)) {
    return `cannot reach the Temporal server (${message}): is it running? Start the local stack with \`etl stack up\`, or check TEMPORAL_ADDRESS`;
  }
  return message;
}
