import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';

/** An activity environment that keeps the expected "Activity failed" warnings out of the test output. */
export function activityEnvironment(info?: Partial<Info>) {
  return new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });
}

/** Starts an attempt; `started` settles at its first heartbeat (it has started or found its outside work). */
export function startAttempt<A extends unknown[], R>(env: MockActivityEnvironment, activity: (...args: A) => Promise<R>, ...args: A) {
  const result = env.run(activity, ...args);
  const started = new Promise<void>((resolve, reject) => {
    env.once('heartbeat', () => resolve());
    result.then(() => reject(new Error('the attempt ended before its first heartbeat')), reject);
  });
  return { started, result };
}
