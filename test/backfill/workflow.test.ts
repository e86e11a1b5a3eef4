import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PipelineActivities } from '../../src/activities';
import type { RedshiftStepInput } from '../../src/activities/redshift/activity';
import type { ValidateFilesInput } from '../../src/activities/validation/activity';
import { datesBetween } from '../../src/shared/dates';
import { backfillPipeline, backfillProgressQuery } from '../../src/workflows';
import { testPipeline } from '../support/pipelines';
import { createTimeSkippingEnv } from '../support/temporal';

/** The backfill's control flow over many dates, with the pipeline's activities stubbed. */

const pipeline = testPipeline();

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

test('a range longer than one workflow run continues as new, keeps one tally, caps concurrency at the Glue job and refreshes views once', async () => {
  const dates = datesBetween('2024-01-01', '2024-04-19'); // 110 dates: three workflow runs
  let glueRunning = 0;
  let mostGlueRunning = 0;
  const refreshed: RedshiftStepInput[] = [];
  const activities = {
    glueMaxConcurrentRuns: async () => 4,
    validateFiles: async ({ date }: ValidateFilesInput) => {
      if (date === '2024-02-29') throw ApplicationFailure.nonRetryable('No files for orders 2024-02-29', 'NoFilesForDate');
      return { files: [], rowsValidated: 1, previouslyValidatedFiles: 0 };
    },
    runGlueJob: async () => {
      mostGlueRunning = Math.max(mostGlueRunning, ++glueRunning);
      await new Promise((resolve) => setTimeout(resolve, 20));
      glueRunning -= 1;
      return { jobRunId: 'jr_1', jobName: pipeline.glue.jobName, adopted: false, state: 'SUCCEEDED' as const };
    },
    confirmNoFilesLanded: async () => undefined,
    loadToRedshift: async () => ({ statementId: 'st-1', statements: ['DELETE', 'COPY'] }),
    refreshViews: async (input: RedshiftStepInput) => {
      refreshed.push(input);
      return { viewsRefreshed: pipeline.views };
    },
    sendNotification: async () => ({ messageId: 'm-1' }),
  } as unknown as PipelineActivities;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'backfill-test',
    workflowsPath: require.resolve('../../src/workflows'),
    activities,
  });

  const { result, progress, firstRun } = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(backfillPipeline, {
      taskQueue: 'backfill-test',
      workflowId: `backfill-${Math.random()}`,
      args: [{ pipeline, dates, concurrency: 10 }],
    });
    const result = await handle.result();
    const firstRun = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    return { result, progress: await handle.query(backfillProgressQuery), firstRun };
  });

  expect(result).toMatchObject({
    total: 110,
    succeeded: 109,
    failed: 1,
    concurrency: 4,
    failures: [{ date: '2024-02-29', step: 'validate', error: expect.stringContaining('No files for orders 2024-02-29') }],
    refresh: { outcome: 'succeeded', viewsRefreshed: pipeline.views },
  });
  expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
  expect(mostGlueRunning).toBeLessThanOrEqual(4);
  expect(refreshed).toEqual([{ pipeline, date: '2024-04-19' }]);
  expect(progress).toMatchObject({ total: 110, succeeded: 109, failed: 1, running: 0, pending: 0 });
});
