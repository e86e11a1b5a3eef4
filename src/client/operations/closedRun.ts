import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { isUnsuccessful, runOutcome, type UnsuccessfulOutcome } from '../../shared/runOutcome';

/** How an awaited run closed: with its result, or without one and with the error it ended with. */
export type ClosedRun<Result> = { outcome: 'succeeded'; result: Result } | { outcome: UnsuccessfulOutcome; error: string };

/** Waits for `result` (the handle's) and says how the run closed; errors other than the run's own failure are thrown. */
export async function closedRun<Result>(handle: WorkflowHandle, result: Promise<Result>): Promise<ClosedRun<Result>> {
  try {
    return { outcome: 'succeeded', result: await result };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const outcome = runOutcome(await handle.describe());
    // A handle without a run id describes the latest run: a new run with the same id may already be open.
    return { outcome: isUnsuccessful(outcome) ? outcome : 'failed', error: err.cause?.message ?? err.message };
  }
}
