import type { Info } from '@temporalio/activity';
import type { createGlueActivities, RunGlueJobInput } from '../../src/activities/glue/activity';
import type { PipelineConfig } from '../../src/config/schema';
import { glueStartInput } from '../../src/shared/activityInputs';
import type { GlueRunStart } from '../../src/shared/stepResults';
import { startOptions, waitOptions } from '../../src/workflows/stepOptions';
import { stepOf } from '../support/pipelines';
import { runWithRetries } from '../support/retries';

type GlueActivities = ReturnType<typeof createGlueActivities>;

export const glueDate = '2024-01-15';
export const glueRunKey = 'etl-orders-2024-01-15/run-1';

/** The Glue activities' input for the date, as the workflow builds it from the config (with the poll interval runGlueJob takes). */
export function glueInput(pipeline: PipelineConfig): RunGlueJobInput {
  const step = stepOf(pipeline, 'glue');
  return { ...glueStartInput(pipeline, step, glueDate, glueRunKey), pollInterval: step.pollInterval };
}

/**
 * The Glue step as the workflow runs it, each activity retried under its real policy: startGlueJobRun, then
 * waitForGlueJobRun, which Temporal runs again while the run is going. Says how many attempts each took.
 */
export async function runGlueStep(activities: GlueActivities, pipeline: PipelineConfig, info: Partial<Info> = {}) {
  const step = stepOf(pipeline, 'glue');
  const input = glueStartInput(pipeline, step, glueDate, glueRunKey);
  const start = await runWithRetries(startOptions(step, 'start').retry!, activities.startGlueJobRun, [input], info);
  const started: GlueRunStart = start.result;
  const wait = await runWithRetries(waitOptions(step, 'wait').retry!, activities.waitForGlueJobRun, [
    { jobName: started.jobName, jobRunId: started.jobRunId, pollInterval: step.pollInterval },
  ]);
  return { result: { ...started, ...wait.result }, startAttempts: start.attempts, checks: wait.attempts };
}
