import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { StepName } from '../../config/schema';
import { pipelineWorkflowId } from '../../shared/ids';
import type { CompletedSteps, PipelineStepFailedDetails } from '../../shared/pipelineRun';
import { runOutcome, type RunOutcome } from '../../shared/runOutcome';
import type { pipelineRun } from '../../workflows';
import { errorTypes } from '../../shared/errorTypes';

/** A date's latest run and the step results it recorded, which a rerun from a later step may reuse. */
export interface RecordedRun {
  workflowId: string;
  runId: string;
  outcome: RunOutcome;
  /** Where a failed run failed. */
  failedStep?: StepName;
  /** From the result of a run that succeeded, from the failure details of one that failed; empty otherwise. */
  completed: CompletedSteps;
}

/** The date's latest run, read from the workflow itself (not visibility, which may lag); undefined if it never ran. */
export async function latestRecordedRun(client: Client, pipeline: string, date: string): Promise<RecordedRun | undefined> {
  const workflowId = pipelineWorkflowId(pipeline, date);
  const latest = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
  if (!latest) return undefined;
  const { runId } = latest;
  const run = { workflowId, runId, outcome: runOutcome(latest) };
  if (run.outcome !== 'succeeded' && run.outcome !== 'failed') return { ...run, completed: {} };
  return { ...run, ...(await recordedSteps(client, workflowId, runId)) };
}

/** The step results a run that succeeded or failed recorded, and where a failed one failed. */
export async function recordedSteps(client: Client, workflowId: string, runId: string): Promise<Pick<RecordedRun, 'failedStep' | 'completed'>> {
  try {
    const { validate, glue, load, refresh } = await client.workflow.getHandle<typeof pipelineRun>(workflowId, runId).result();
    // A backfill date skips the view refresh, so it has no refresh result to reuse.
    return { completed: { validate, glue, load, ...(refresh !== 'skipped' && { refresh }) } };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const failure = err.cause instanceof ApplicationFailure && err.cause.type === errorTypes.PipelineStepFailed ? err.cause : undefined;
    // Runs from before reruns existed carry only the step.
    const details = failure?.details?.[0] as Partial<PipelineStepFailedDetails> | undefined;
    return { failedStep: details?.step, completed: details?.completed ?? {} };
  }
}
