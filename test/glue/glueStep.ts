import type { Info } from '@temporalio/activity';
import type { createGlueActivities, RunGlueJobInput } from '../../src/activities/glue/activity';
import type { GlueRunStart } from '../../src/shared/stepResults';
import { startOptions, waitOptions } from '../../src/workflows/stepOptions';
import { runWithRetries } from '../support/retries';

type GlueActivities = ReturnType<typeof createGlueActivities>;

/**
 * The Glue step as the workflow runs it, each activity retried under its real policy: startGlueJobRun, then
 * waitForGlueJobRun, which Temporal runs again while the run is going. Says how many attempts each took.
 */
export async function runGlueStep(activities: GlueActivities, input: RunGlueJobInput, info: Partial<Info> = {}) {
  const start = await runWithRetries(startOptions(input.pipeline, 'glue', 'start').retry!, activities.startGlueJobRun, [input], info);
  const started: GlueRunStart = start.result;
  const wait = await runWithRetries(waitOptions(input.pipeline, 'glue', 'wait').retry!, activities.waitForGlueJobRun, [
    { jobName: started.jobName, jobRunId: started.jobRunId, pollInterval: input.pipeline.glue.pollInterval },
  ]);
  return { result: { ...started, ...wait.result }, startAttempts: start.attempts, checks: wait.attempts };
}
