import type { Info } from '@temporalio/activity';
import { ApplicationFailure, type RetryPolicy } from '@temporalio/common';
import { activityEnvironment } from './activities';

/** What a run with retries ended with, and how many attempts it took. */
export interface RetriedRun<R> {
  result: R;
  attempts: number;
}

/**
 * Runs an activity the way Temporal retries it under `retry` (a step's real policy, from stepOptions): a
 * new attempt after each retryable failure, carrying the last heartbeat's details, until one succeeds,
 * a failure is not retryable, or the attempts run out. Backoff is left out: tests never wait on time.
 */
export async function runWithRetries<A extends unknown[], R>(
  retry: RetryPolicy,
  activity: (...args: A) => Promise<R>,
  args: A,
  info: Partial<Info> = {},
): Promise<RetriedRun<R>> {
  const maximumAttempts = retry.maximumAttempts || Infinity;
  let heartbeatDetails: unknown = info.heartbeatDetails;
  for (let attempt = 1; ; attempt += 1) {
    const env = activityEnvironment({ ...info, attempt, heartbeatDetails });
    env.on('heartbeat', (details: unknown) => (heartbeatDetails = details));
    try {
      return { result: await env.run(activity, ...args), attempts: attempt };
    } catch (err) {
      if (attempt >= maximumAttempts || !isRetryable(err, retry.nonRetryableErrorTypes ?? [])) throw err;
    }
  }
}

/** Temporal's rule: an ApplicationFailure by its flag and type, any other error by its name. */
function isRetryable(err: unknown, nonRetryableErrorTypes: string[]): boolean {
  if (err instanceof ApplicationFailure) return !err.nonRetryable && !nonRetryableErrorTypes.includes(err.type ?? '');
  return !nonRetryableErrorTypes.includes((err as Error).name);
}
