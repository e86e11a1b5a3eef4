import type { Info } from '@temporalio/activity';
import type { createGlueActivities, RunGlueJobInput } from '../../src/activities/glue/activity';
import type { PipelineConfig } from '../../src/config/schema';
import { glueStartInput } from '../../src/shared/activityInputs';
import type { GlueRunStart } from '../../src/shared/stepResults';
import { startOptions, waitOptions } from '../../src/workflows/stepOptions';
import { runWithRetries } from '../support/retries';

type GlueActivities = ReturnType<typeof createGlueActivities>;

export const glueDate = '2024-01-15';
export const glueRunKey = 'etl-orders-2024-01-15/run-1';

/** The Glue activities' input for the date, as the workflow builds it from the config (with the poll interval runGlueJob takes). */
export function glueInput(pipeline: PipelineConfig): RunGlueJobInput {
  return { ...glueStartInput(pipeline, glueDate, glueRunKey), pollInterval: pipeline.glue.pollInterval };
}

/**
 * The Glue step as the workflow runs it, each activity retried under its real policy: startGlueJobRun, then
 * waitForGlueJobRun, which Temporal runs again while the run is going. Says how many attempts each took.
 */
export async function runGlueStep(activities: GlueActivities, pipeline: PipelineConfig, info: Partial<Info> = {}) {
  const input = glueStartInput(pipeline, glueDate, glueRunKey);
  const start = await runWithRetries(startOptions(pipeline, 'glue', 'start').retry!, activities.startGlueJobRun, [input], info);
  const started: GlueRunStart = start.result;
  const wait = await runWithRetries(waitOptions(pipeline, 'glue', 'wait').retry!, activities.waitForGlueJobRun, [
    { jobName: started.jobName, jobRunId: started.jobRunId, pollInterval: pipeline.glue.pollInterval },
  ]);
  return { result: { ...started, ...wait.result }, startAttempts: start.attempts, checks: wait.attempts };
}
