import { encryptedEncoding } from '../codec/aesGcmCodec';
import { PayloadKeyError } from '../codec/dataConverter';
import { ConfigError } from '../config/configError';
import { InvalidDateError } from '../shared/dates';
import { TargetError } from '../target/target';

/** `todosLeft`: `etl import` wrote the pipeline file, with TODOs the loader refuses until the user resolves them. */
export const exitCodes = { ok: 0, failed: 1, badInput: 2, todosLeft: 3 } as const;

/** Bad input from the user: exit code 2, one line, nothing started. */
export class UsageError extends Error {}

/** An AWS service a command talks to directly failed or could not be reached: exit code 1, its own words. */
export class AwsServiceError extends Error {
  constructor(service: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(`${service} failed: ${reason} (check AWS_REGION, the credentials and any AWS_ENDPOINT_URL_* setting, or that the local stack runs)`);
  }
}

/** Runs `parse` and turns input errors (config, dates, payload key) into a UsageError with the same message. */
export function parseInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof InvalidDateError || err instanceof PayloadKeyError) throw new UsageError(err.message);
    throw err;
  }
}

/** One line that says what went wrong and, where we know, what to do about it. */
export function failureMessage(err: unknown): string {
  if (err instanceof UsageError || err instanceof TargetError || err instanceof AwsServiceError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  // The JS client (grpc-js) and the worker's native connection (tonic) word this differently.
  if (/ECONNREFUSED|UNAVAILABLE|failed to connect|transport error|tonic::transport|ConnectError/i.test(message)) {
    const reason = message.split('\n')[0].slice(0, 200);
    return `cannot reach the Temporal server (${reason}): is it running? Start the local stack with \`etl stack up\`, or check TEMPORAL_ADDRESS`;
  }
  if (message.includes(`Unknown encoding: ${encryptedEncoding}`)) {
    return "the run's payloads are encrypted: set ETL_PAYLOAD_KEY (and ETL_PAYLOAD_KEY_ID) to the key the worker uses";
  }
  return message;
}
