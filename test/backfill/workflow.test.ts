import { Context } from '@temporalio/activity';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PipelineActivities } from '../../src/activities';
import type { GlueRunRef, RunGlueJobInput } from '../../src/activities/glue/activity';
import { createRunWatchActivities } from '../../src/activities/temporal/waitForPipelineRun';
import { refreshInput, type FileCheckInput } from '../../src/shared/activityInputs';
import { datesBetween } from '../../src/shared/dates';
import { pipelineWorkflowId } from '../../src/shared/ids';
import { backfillPipeline, backfillProgressQuery } from '../../src/workflows';
import { stepOf, testPipeline } from '../support/pipelines';
import { eventually } from '../support/processes';
import { createDevServerEnv } from '../support/temporal';
import { stubActivities } from '../workflows/stubbedRun';

/**
 * The backfill's control flow over many dates, with the pipeline's activities stubbed, on the dev server. That
 * server suggests continuing as new after 100 events instead of 4,096 (a Temporal server setting), so a few
 * dozen dates cross workflow runs.
 */

const pipeline = testPipeline();
const views = stepOf(pipeline, 'refresh').views;
const eventsBeforeContinueAsNew = 100;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createDevServerEnv({ dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': eventsBeforeContinueAsNew } });
});
afterAll(async () => {
  await env?.teardown();
});

/** Stubbed Glue runs, each running from its start until its wait returns or it is stopped; held ones wait. */
function glueRuns() {
  const running = new Set<string>();
  const stopped: string[] = [];
  let most = 0;
  let holding: (date: string) => boolean = () => true;
  const waiters = new Set<() => void>();
  const dateOf = (jobRunId: string) => jobRunId.replace(/^jr_/, '');
  const activities: Partial<PipelineActivities> = {
    startGlueJobRun: async ({ date }: RunGlueJobInput) => {
      running.add(`jr_${date}`);
      most = Math.max(most, running.size);
      return { jobRunId: `jr_${date}`, jobName: stepOf(pipeline, 'glue').jobName, adopted: false };
    },
    waitForGlueJobRun: async ({ jobRunId }: GlueRunRef) => {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          if (holding(dateOf(jobRunId))) return;
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        wake();
        // A cancelled run stops waiting (and a stopping worker cancels what still waits).
        Context.current().cancelled.catch((err: Error) => {
          waiters.delete(wake);
          reject(err);
        });
      });
      running.delete(jobRunId);
      return { executionTimeSeconds: 1, dpuSeconds: 2 };
    },
    stopGlueJobRun: async ({ jobRunId }: GlueRunRef) => {
      stopped.push(dateOf(jobRunId));
      running.delete(jobRunId);
    },
  };
  return {
    activities,
    running,
    stopped,
    get most() {
      return most;
    },
    /** From now on only the dates `held` says are held wait. */
    hold(held: (date: string) => boolean) {
      holding = held;
      waiters.forEach((wake) => wake());
    },
  };
}

async function startWorker(activities: Partial<PipelineActivities>) {
  const taskQueue = `backfill-${Math.random()}`;
  const { activities: stubs, calls } = stubActivities(pipeline, {
    glueMaxConcurrentRuns: async () => 100,
    ...createRunWatchActivities({ temporal: env.client }),
    ...activities,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: stubs,
  });
  return { worker, taskQueue, calls };
}

const startBackfill = (taskQueue: string, dates: string[], concurrency: number) =>
  env.client.workflow.start(backfillPipeline, {
    taskQueue,
    workflowId: `backfill-${Math.random()}`,
    args: [{ pipeline, dates, concurrency }],
  });

/** The backfill's first workflow run has continued as new: what runs now was carried over. */
async function continuedAsNew(handle: WorkflowHandleWithFirstExecutionRunId<typeof backfillPipeline>): Promise<boolean> {
  const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
  return first.status.name === 'CONTINUED_AS_NEW';
}

/** Pipeline runs Temporal lists as running on the task queue. */
const openRuns = async (taskQueue: string) =>
  (await env.client.workflow.count(`TaskQueue = '${taskQueue}' AND WorkflowType = 'pipelineRun' AND ExecutionStatus = 'Running'`)).count;

// Longer than eventually's default: a backfill of a hundred dates on a busy machine.
const patience = 2400;

test('a backfill keeps its concurrency of dates running across continue-as-new, and one slow date holds up no other', async () => {
  const dates = datesBetween('2024-01-01', '2024-04-29'); // 120 dates
  const slowDate = dates[0];
  const glue = glueRuns();
  const { worker, taskQueue, calls } = await startWorker({
    ...glue.activities,
    validateFiles: async ({ date }: FileCheckInput) => {
      if (date === '2024-02-29') throw ApplicationFailure.nonRetryable('No files for orders 2024-02-29', 'NoFilesForDate');
      return { files: [], rowsValidated: 1, previouslyValidatedFiles: 0 };
    },
  });

  const { result, progress } = await worker.runUntil(async () => {
    const handle = await startBackfill(taskQueue, dates, 60);

    // Every Glue run waits: 60 dates run at once, more than one workflow run holds before it continues as new.
    await eventually('60 Glue runs at once', () => (glue.running.size === 60 ? true : undefined), patience);
    expect(await continuedAsNew(handle)).toBe(true);
    expect(await eventually('Temporal to list 60 open pipeline runs', async () => ((await openRuns(taskQueue)) === 60 ? true : undefined))).toBe(true);
    // 2024-02-29 has no files: it failed before its Glue run, and its lane went to the next date.
    expect(await handle.query(backfillProgressQuery)).toMatchObject({ total: 120, failed: 1, running: 60, pending: 59, concurrency: 60 });

    // The first date stays slow; every other date finishes meanwhile, in workflow runs after the one that started it.
    glue.hold((date) => date === slowDate);
    const whileSlow = await eventually(
      'every date but the slow one to end',
      async () => {
        const now = await handle.query(backfillProgressQuery).catch(() => undefined);
        return now && now.succeeded + now.failed === 119 ? now : undefined;
      },
      patience,
    );
    expect(whileSlow).toMatchObject({ running: 1, pending: 0 });
    expect(glue.running).toEqual(new Set([`jr_${slowDate}`]));

    glue.hold(() => false);
    return { result: await handle.result(), progress: await handle.query(backfillProgressQuery) };
  });

  expect(result).toMatchObject({
    total: 120,
    succeeded: 119,
    failed: 1,
    concurrency: 60,
    failures: [{ date: '2024-02-29', step: 'validate', error: expect.stringContaining('No files for orders 2024-02-29') }],
    refresh: { outcome: 'succeeded', viewsRefreshed: views },
  });
  expect(glue.most).toBe(60);
  expect(calls.filter((call) => call.name === 'submitViewRefresh').map((call) => call.input)).toEqual([refreshInput(pipeline, views, '2024-04-29')]);
  expect(progress).toMatchObject({ total: 120, succeeded: 119, failed: 1, running: 0, pending: 0 });
});

test("the Glue job's MaxConcurrentRuns caps the dates run at once", async () => {
  const dates = datesBetween('2024-06-01', '2024-06-30');
  const glue = glueRuns();
  glue.hold(() => false);
  const { worker, taskQueue } = await startWorker({ ...glue.activities, glueMaxConcurrentRuns: async () => 4 });

  const result = await worker.runUntil(async () => (await startBackfill(taskQueue, dates, 10)).result());

  expect(result).toMatchObject({ total: 30, succeeded: 30, failed: 0, concurrency: 4 });
  expect(glue.most).toBeLessThanOrEqual(4);
});

test('cancelling a backfill cancels every open date, those carried across continue-as-new too, which stop their Glue runs', async () => {
  const dates = datesBetween('2024-09-01', '2024-10-30'); // 60 dates
  const glue = glueRuns();
  const { worker, taskQueue, calls } = await startWorker(glue.activities);

  const outcome = await worker.runUntil(async () => {
    const handle = await startBackfill(taskQueue, dates.concat(datesBetween('2024-10-31', '2024-11-09')), 60);
    await eventually('60 Glue runs at once', () => (glue.running.size === 60 ? true : undefined), patience);
    expect(await continuedAsNew(handle)).toBe(true);

    await handle.cancel();
    return await handle.result().catch((err: unknown) => err);
  });

  expect(outcome).toMatchObject({ cause: { name: 'CancelledFailure' } });
  for (const date of dates) {
    expect((await env.client.workflow.getHandle(pipelineWorkflowId(pipeline.name, date)).describe()).status.name).toBe('CANCELLED');
  }
  expect(glue.stopped.sort()).toEqual(dates);
  expect(glue.running.size).toBe(0);
  // The ten dates beyond the concurrency never started; no view was refreshed.
  expect(calls.filter((call) => call.name === 'validateFiles')).toHaveLength(60);
  expect(calls.filter((call) => call.name === 'submitViewRefresh')).toHaveLength(0);
});
