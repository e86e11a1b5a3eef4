import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { latestRunsByDate } from '../../src/client/operations/runHistory';
import { runsThatCannotResume } from '../../src/local/orphanedRuns';
import { pipelineWorkflowId } from '../../src/shared/ids';
import { searchAttributes } from '../../src/shared/searchAttributes';
import type { pipelineRun } from '../../src/workflows';
import { testPipeline } from '../support/pipelines';
import { createDevServerEnv } from '../support/temporal';

/**
 * Runs of a date started as dailyPipeline, the type before pipelineRun, are found as today's are while they may
 * still be open. No worker serves the task queue: the runs stay open, which is all visibility needs.
 */

const pipeline = testPipeline();
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createDevServerEnv();
  const start = (workflowType: string, date: string) =>
    env.client.workflow.start<typeof pipelineRun>(workflowType, {
      taskQueue: `no-worker-${Math.random()}`,
      workflowId: pipelineWorkflowId(pipeline.name, date),
      args: [{ pipeline, date, trigger: 'manual' }],
      typedSearchAttributes: [
        { key: searchAttributes.pipeline, value: pipeline.name },
        { key: searchAttributes.date, value: new Date(`${date}T00:00:00Z`) },
        { key: searchAttributes.trigger, value: 'manual' },
      ],
    });
  await start('dailyPipeline', '2024-01-15');
  await start('pipelineRun', '2024-01-16');
});

afterAll(() => env?.teardown());

/** Visibility is eventually consistent: reads until `found` holds. */
async function eventually<T>(read: () => Promise<T>, found: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (found(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('etl status shows the open run of either type for its date', async () => {
  const rows = await eventually(
    () => latestRunsByDate(env.client, pipeline.name, '2024-01-15', '2024-01-17'),
    (dates) => dates.filter((row) => row.outcome === 'running').length === 2,
  );
  expect(rows.map(({ date, outcome, workflowId }) => ({ date, outcome, workflowId }))).toEqual([
    { date: '2024-01-15', outcome: 'running', workflowId: 'etl-orders-2024-01-15' },
    { date: '2024-01-16', outcome: 'running', workflowId: 'etl-orders-2024-01-16' },
    { date: '2024-01-17', outcome: 'neverRan', workflowId: undefined },
  ]);
});

test('a fresh local stack ends the open runs of either type whose outside work it lost', async () => {
  const runs = await eventually(
    () => runsThatCannotResume(env.address, env.namespace ?? 'default'),
    (found) => found.length === 2,
  );
  expect(runs.map((run) => run.workflowId).sort()).toEqual(['etl-orders-2024-01-15', 'etl-orders-2024-01-16']);
});
