import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';

/** Returns its input: the smallest workflow whose input and result are both payloads stored by Temporal. */
export async function echo<T>(input: T): Promise<T> {
  return input;
}

export interface FailingActivities {
  /** Throws an Error with `message`. */
  failWith(message: string): Promise<void>;
}

const { failWith } = proxyActivities<FailingActivities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 1 } });

/** Fails as a pipeline step does: an activity's error, then the workflow's own failure quoting it. */
export async function failWithMessage(message: string): Promise<void> {
  try {
    await failWith(message);
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
    throw ApplicationFailure.nonRetryable(`the step failed: ${cause?.message}`, 'StepFailed');
  }
}
