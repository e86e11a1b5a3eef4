import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PipelineRunInput } from '../../src/shared/pipelineRun';
import { testPipeline } from '../support/pipelines';
import { eventually } from '../support/processes';
import { createTimeSkippingEnv } from '../support/temporal';
import { stubActivities, stubbedRunner } from '../workflows/stubbedRun';

/** While the Glue step waits for its run, the run's details in the Temporal UI link the run's Glue console page. */

const pipeline = testPipeline();
const input: PipelineRunInput = { pipeline, date: '2024-01-15', trigger: 'manual' };
const consoleUrl = 'https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/job/transform-orders/run/jr_1';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const currentDetails = async (handle: WorkflowHandle) => (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';

test("the waiting Glue step's details link its run's Glue console page", async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const { activities } = stubActivities(pipeline, {
    startGlueJobRun: async () => ({ jobRunId: 'jr_1', jobName: 'transform-orders', adopted: false, consoleUrl }),
    waitForGlueJobRun: async () => {
      await held;
      return { executionTimeSeconds: 30 };
    },
  });

  let details = '';
  await stubbedRunner(env)(activities, input, async (handle) => {
    details = await eventually('the Glue step to wait', async () => {
      const shown = await currentDetails(handle);
      return shown.includes('Glue run jr_1') ? shown : undefined;
    });
    release();
  });

  expect(details).toContain(`Glue run jr_1 of transform-orders started ([Glue console](${consoleUrl})); checked every`);
});
