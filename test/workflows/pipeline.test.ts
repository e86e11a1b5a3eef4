import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PipelineActivities } from '../../src/activities';
import type { NotificationInput } from '../../src/activities/notify/activity';
import type { PipelineRunInput, PipelineStepFailedDetails } from '../../src/shared/pipelineRun';
import { dailyPipeline, progressQuery } from '../../src/workflows';
import { testPipeline } from '../support/pipelines';
import { createTimeSkippingEnv } from '../support/temporal';

const pipeline = testPipeline();
const date = '2024-01-15';
const input: PipelineRunInput = { pipeline, date, trigger: 'manual' };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Activities that succeed, recording every call; individual tests replace one of them. */
function stubActivities(overrides: Partial<PipelineActivities> = {}) {
  const calls: { name: string; input: unknown }[] = [];
  const notifications: NotificationInput[] = [];
  const record =
    <R>(name: string, result: R) =>
    async (arg: unknown) => {
      calls.push({ name, input: arg });
      return result;
    };
  const activities: PipelineActivities = {
    validateFiles: record('validateFiles', { files: [], rowsValidated: 6, previouslyValidatedFiles: 0 }),
    runGlueJob: record('runGlueJob', { jobRunId: 'jr_1', jobName: 'transform-orders', adopted: false, state: 'SUCCEEDED' as const }),
    confirmNoFilesLanded: record('confirmNoFilesLanded', undefined),
    loadToRedshift: record('loadToRedshift', { statementId: 'st-1', statements: ['DELETE', 'COPY'] }),
    refreshViews: record('refreshViews', { viewsRefreshed: pipeline.views }),
    sendNotification: async (n: NotificationInput) => {
      notifications.push(n);
      return { messageId: `m-${notifications.length}` };
    },
    ...overrides,
  } as PipelineActivities;
  return { activities, calls, notifications };
}

async function runWith(activities: PipelineActivities, runInput = input) {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'test',
    workflowsPath: require.resolve('../../src/workflows'),
    activities,
    maxHeartbeatThrottleInterval: '1s',
  });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start(dailyPipeline, { taskQueue: 'test', workflowId: `wf-${Math.random()}`, args: [runInput] });
    const outcome = await handle.result().then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    return { ...outcome, progress: await handle.query(progressQuery) };
  });
}

test('a successful run returns each step and sends exactly one success notification', async () => {
  const { activities, calls, notifications } = stubActivities();
  const { result, progress } = await runWith(activities);

  expect(result).toMatchObject({ pipeline: 'orders', date, outcome: 'succeeded', glue: { jobRunId: 'jr_1' }, load: { statementId: 'st-1' } });
  expect(calls.map((c) => c.name)).toEqual(['validateFiles', 'runGlueJob', 'confirmNoFilesLanded', 'loadToRedshift', 'refreshViews']);
  expect(notifications).toHaveLength(1);
  expect(notifications[0]).toMatchObject({ outcome: 'succeeded', topicArn: pipeline.notifications.successTopicArn, date });
  expect(progress.status).toBe('succeeded');
  expect(progress.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
});

test('the Glue run key is stable for the run and names the workflow', async () => {
  const { activities, calls } = stubActivities();
  await runWith(activities);
  const glueInput = calls.find((c) => c.name === 'runGlueJob')!.input as { runKey: string; date: string };
  expect(glueInput.date).toBe(date);
  expect(glueInput.runKey).toMatch(/^wf-.+\/.+$/);
});

describe.each([
  ['validate', 'validateFiles', 'InvalidFiles'],
  ['glue', 'runGlueJob', 'GlueJobFailed'],
  ['load', 'loadToRedshift', 'RedshiftStatementFailed'],
  ['refresh', 'refreshViews', 'RedshiftStatementFailed'],
] as const)('a failure at %s', (step, activity, type) => {
  test('sends exactly one failure notification and fails naming the step', async () => {
    const { activities, notifications, calls } = stubActivities({
      [activity]: async () => {
        throw ApplicationFailure.nonRetryable(`boom in ${step}`, type);
      },
    });
    const { error, progress } = await runWith(activities);

    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineStepFailed');
    expect(cause.message).toContain(`(${step}) failed for orders ${date}: boom in ${step}`);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      outcome: 'failed',
      failedStep: step,
      error: `boom in ${step}`,
      topicArn: pipeline.notifications.failureTopicArn,
    });
    // Nothing after the failed step ran.
    const order = ['validateFiles', 'runGlueJob', 'confirmNoFilesLanded', 'loadToRedshift', 'refreshViews'];
    expect(calls.map((c) => c.name)).toEqual(order.slice(0, order.indexOf(activity)));
    // The failure records what did complete, so a rerun from this step can reuse it.
    const steps = ['validate', 'glue', 'load', 'refresh'];
    expect(Object.keys((cause.details![0] as PipelineStepFailedDetails).completed)).toEqual(steps.slice(0, steps.indexOf(step)));
    expect(progress.steps.find((s) => s.step === step)).toMatchObject({ status: 'failed', detail: `boom in ${step}` });
  });
});

test('a retryable error is retried and the run still succeeds without an alert', async () => {
  let attempts = 0;
  const { activities, notifications } = stubActivities({
    runGlueJob: async () => {
      attempts += 1;
      if (attempts < 3) throw ApplicationFailure.retryable('Glue throttled', 'GlueConcurrentRunsExceeded');
      return { jobRunId: 'jr_3', jobName: 'transform-orders', adopted: false, state: 'SUCCEEDED' };
    },
  });
  const { result } = await runWith(activities);
  expect(attempts).toBe(3);
  expect(result?.glue.jobRunId).toBe('jr_3');
  expect(notifications.map((n) => n.outcome)).toEqual(['succeeded']);
});

test('a failed success notification becomes the one failure notification', async () => {
  const { activities, notifications } = stubActivities({
    sendNotification: async (n: NotificationInput) => {
      if (n.outcome === 'succeeded') throw ApplicationFailure.nonRetryable('topic does not exist', 'NotFoundException');
      notifications.push(n);
      return { messageId: 'm' };
    },
  });
  const { error } = await runWith(activities);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect(notifications).toHaveLength(1);
  expect(notifications[0]).toMatchObject({ outcome: 'failed', failedStep: 'notify' });
});

test('a backfill date skips the view refresh', async () => {
  const { activities, calls } = stubActivities();
  const { result, progress } = await runWith(activities, { ...input, trigger: 'backfill', options: { refreshViews: false } });
  expect(result?.refresh).toBe('skipped');
  expect(calls.map((c) => c.name)).not.toContain('refreshViews');
  expect(progress.steps.find((s) => s.step === 'refresh')?.status).toBe('skipped');
});

test('cancelling the run cancels the running step and sends no failure alert', async () => {
  let glueCancelled = false;
  const { activities, notifications } = stubActivities({
    runGlueJob: async () => {
      const context = Context.current();
      try {
        for (;;) {
          context.heartbeat();
          await context.sleep(50);
        }
      } catch (err) {
        glueCancelled = true;
        throw err;
      }
    },
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'test-cancel',
    workflowsPath: require.resolve('../../src/workflows'),
    activities,
    maxHeartbeatThrottleInterval: '1s',
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(dailyPipeline, { taskQueue: 'test-cancel', workflowId: 'wf-cancel', args: [input] });
    while ((await handle.query(progressQuery)).steps[1].status !== 'running') await new Promise((r) => setTimeout(r, 50));
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });
  expect(glueCancelled).toBe(true);
  expect(notifications).toHaveLength(0);
});

describe('a rerun from a step', () => {
  const validate = { files: [], rowsValidated: 6, previouslyValidatedFiles: 0 };
  const glue = { jobRunId: 'jr_earlier', jobName: 'transform-orders', adopted: false, state: 'SUCCEEDED' as const, executionTimeSeconds: 30 };
  const rerunFromLoad: PipelineRunInput = { ...input, options: { reuse: { fromRun: 'run-1', validate, glue } } };

  test('skips exactly the reused steps, returns their results as if run and says so in the notification', async () => {
    const { activities, calls, notifications } = stubActivities();
    const { result, progress } = await runWith(activities, rerunFromLoad);

    expect(calls.map((c) => c.name)).toEqual(['confirmNoFilesLanded', 'loadToRedshift', 'refreshViews']);
    expect(result).toMatchObject({ outcome: 'succeeded', validate, glue, load: { statementId: 'st-1' } });
    expect(progress.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['validate:skipped', 'glue:skipped', 'load:succeeded', 'refresh:succeeded', 'notify:succeeded']);
    expect(progress.steps[1].detail).toBe('reused from run run-1: run jr_earlier SUCCEEDED in 30s');
    expect(notifications).toHaveLength(1);
    expect(notifications[0].details).toContain('Run Glue job: reused from run run-1: run jr_earlier SUCCEEDED in 30s');
  });

  test('a failure carries the results of the steps completed before it, reused ones included', async () => {
    const { activities } = stubActivities({
      refreshViews: async () => {
        throw ApplicationFailure.nonRetryable('view is locked', 'RedshiftStatementFailed');
      },
    });
    const { error } = await runWith(activities, rerunFromLoad);

    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.details).toEqual([{ step: 'refresh', completed: { validate, glue, load: { statementId: 'st-1', statements: ['DELETE', 'COPY'] } } }]);
  });
});
