import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';

/**
 * What ended a run or an activity, from the error Temporal reports. Workflows see ChildWorkflowFailure or
 * ActivityFailure, clients WorkflowFailedError: each wraps the failure that says what happened as its cause.
 * A pipeline run's failure carries the failed step's id in its details.
 */
export function runFailure(err: unknown): { step?: string; error: string } {
  const cause = (err as { cause?: unknown }).cause ?? err;
  if (cause instanceof CancelledFailure) return { error: 'the run was cancelled' };
  if (cause instanceof TerminatedFailure) return { error: 'the run was terminated' };
  if (cause instanceof TimeoutFailure) return { error: 'the run timed out' };
  const step = cause instanceof ApplicationFailure ? (cause.details?.[0] as { step?: string } | undefined)?.step : undefined;
  return { ...(step && { step }), error: cause instanceof Error ? cause.message : String(cause) };
}
