import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { pipelineWorkflowId } from '../../shared/ids';
import { completedSteps, type CompletedSteps, type PipelineRunResult, type PipelineStepFailedDetails } from '../../shared/pipelineRun';
import type { StepResult } from '../../shared/stepResults';
import { runOutcome, type RunOutcome } from '../../shared/runOutcome';
import type { pipelineRun } from '../../workflows';
import { errorTypes } from '../../shared/errorTypes';

/** A date's latest run and the step results it recorded, which a rerun from a later step may reuse. */
export interface RecordedRun {
  workflowId: string;
  runId: string;
  outcome: RunOutcome;
  /** The id of the step the run failed at. */
  failedStep?: string;
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
    const result = await client.workflow.getHandle<typeof pipelineRun>(workflowId, runId).result();
    return { completed: completedOf(result) };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const failure = err.cause instanceof ApplicationFailure && err.cause.type === errorTypes.PipelineStepFailed ? err.cause : undefined;
    // Runs from before reruns existed carry only the step.
    const details = failure?.details?.[0] as Partial<PipelineStepFailedDetails> | undefined;
    return { failedStep: details?.step, completed: details?.completed ?? {} };
  }
}

/** A result recorded before step lists named the steps' results beside the run's fields. */
type EarlierResult = Partial<Record<'validate' | 'glue' | 'load' | 'refresh', StepResult | 'skipped'>>;

/** What a succeeded run's steps returned, by step id; a step it skipped (a backfill date's refresh) has nothing to reuse. */
function completedOf(result: PipelineRunResult | EarlierResult): CompletedSteps {
  const { validate, glue, load, refresh } = result as EarlierResult;
  return completedSteps('steps' in result ? result.steps : { validate, glue, load, refresh });
}
