import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PipelineActivities } from '../../src/activities';
import type { NotificationInput } from '../../src/activities/notify/activity';
import { glueStartInput, loadInput, refreshInput } from '../../src/shared/activityInputs';
import { pipelineRunTypes } from '../../src/shared/ids';
import type { PipelineRunInput, PipelineStepFailedDetails, ReusedSteps } from '../../src/shared/pipelineRun';
import * as workflows from '../../src/workflows';
import { stepOf, testPipeline } from '../support/pipelines';
import { createTimeSkippingEnv } from '../support/temporal';
import { allSteps, stubActivities as stubbed, stubbedRunner } from './stubbedRun';

const pipeline = testPipeline();
const views = stepOf(pipeline, 'refresh').views;
const date = '2024-01-15';
const input: PipelineRunInput = { pipeline, date, trigger: 'manual' };

let env: TestWorkflowEnvironment;
let run: ReturnType<typeof stubbedRunner>;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  run = stubbedRunner(env);
});
const runWith = (activities: PipelineActivities, runInput = input) => run(activities, runInput);
const stubActivities = (overrides: Partial<PipelineActivities> = {}) => stubbed(pipeline, overrides);
afterAll(async () => {
  await env?.teardown();
});

test('a successful run returns each step and sends exactly one success notification', async () => {
  const { activities, calls, notifications } = stubActivities();
  const { result, progress } = await runWith(activities);

  expect(result).toMatchObject({
    pipelineName: 'orders',
    date,
    outcome: 'succeeded',
    steps: {
      glue: { jobRunId: 'jr_1', jobName: 'transform-orders', adopted: false, state: 'SUCCEEDED', executionTimeSeconds: 30, dpuSeconds: 60 },
      load: { statementId: 'st-1', statements: ['DELETE', 'COPY'] },
      refresh: { statementId: 'st-2', viewsRefreshed: views },
    },
  });
  expect(calls.map((c) => c.name)).toEqual(allSteps);
  expect(notifications).toHaveLength(1);
  expect(notifications[0]).toMatchObject({ outcome: 'succeeded', topicArn: pipeline.notifications.successTopicArn, date });
  expect(progress.status).toBe('succeeded');
  expect(progress.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
});

test("each activity is given what it uses of the pipeline's config, and the pipeline's name as pipelineName", async () => {
  const { activities, calls, notifications } = stubActivities();
  await runWith(activities);

  const inputOf = (name: string) => calls.find((c) => c.name === name)!.input;
  expect(calls.filter((c) => 'pipeline' in (c.input as object)).map((c) => c.name)).toEqual([]);
  expect(inputOf('startGlueJobRun')).toEqual({ ...glueStartInput(pipeline, stepOf(pipeline, 'glue'), date, 'the run key'), runKey: expect.stringMatching(/^wf-/) });
  expect(inputOf('submitLoad')).toEqual(loadInput(pipeline, stepOf(pipeline, 'load'), date));
  expect(inputOf('submitViewRefresh')).toEqual(JSON.parse(JSON.stringify(refreshInput(pipeline, views, date))));
  // And in the config's own terms, not only as the input builders the workflow also calls make them.
  expect(inputOf('startGlueJobRun')).toMatchObject({ pipelineName: 'orders', date, jobName: stepOf(pipeline, 'glue').jobName });
  expect(inputOf('submitLoad')).toMatchObject({
    pipelineName: 'orders',
    date,
    redshift: { table: stepOf(pipeline, 'load').table, dateColumn: stepOf(pipeline, 'load').dateColumn, copy: { format: stepOf(pipeline, 'load').copy.format } },
  });
  expect(notifications[0]).toMatchObject({ pipelineName: 'orders' });
});

test("a run started as dailyPipeline, the type before pipelineRun, runs to completion on today's worker", async () => {
  const { activities, calls, notifications } = stubActivities();
  const { result, progress } = await stubbedRunner(env, workflows.dailyPipeline)(activities, input);

  expect(result).toMatchObject({ pipelineName: 'orders', date, outcome: 'succeeded', steps: { refresh: { viewsRefreshed: views } } });
  expect(calls.map((c) => c.name)).toEqual(allSteps);
  expect(notifications.map((n) => n.outcome)).toEqual(['succeeded']);
  expect(progress.status).toBe('succeeded');
});

test('the workflow types that visibility queries look for are the ones the worker registers', () => {
  // The worker registers each workflow under its export name; a client starts one under its function's name.
  const exported = workflows as Record<string, unknown>;
  expect(pipelineRunTypes.map((type) => (exported[type] as { name?: string } | undefined)?.name)).toEqual(pipelineRunTypes);
  expect(pipelineRunTypes).toContain(workflows.pipelineRun.name);
});

test('the Glue run key is stable for the run and names the workflow', async () => {
  const { activities, calls } = stubActivities();
  await runWith(activities);
  const glueInput = calls.find((c) => c.name === 'startGlueJobRun')!.input as { runKey: string; date: string };
  expect(glueInput.date).toBe(date);
  expect(glueInput.runKey).toMatch(/^wf-.+\/.+$/);
});

describe.each([
  ['validate', 'validateFiles', 'InvalidFiles'],
  ['glue', 'startGlueJobRun', 'GlueJobNotFound'],
  ['glue', 'waitForGlueJobRun', 'GlueJobFailed'],
  ['load', 'submitLoad', 'InvalidCopySource'],
  ['load', 'waitForLoad', 'RedshiftStatementFailed'],
  ['refresh', 'waitForViewRefresh', 'RedshiftStatementFailed'],
] as const)('a failure at %s (%s)', (step, activity, type) => {
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
    expect(calls.map((c) => c.name)).toEqual(allSteps.slice(0, allSteps.indexOf(activity)));
    // The failure records what did complete, so a rerun from this step can reuse it.
    const steps = ['validate', 'glue', 'load', 'refresh'];
    expect(Object.keys((cause.details![0] as PipelineStepFailedDetails).completed)).toEqual(steps.slice(0, steps.indexOf(step)));
    expect(progress.steps.find((s) => s.step === step)).toMatchObject({ status: 'failed', detail: `boom in ${step}` });
  });
});

test('a retryable error is retried and the run still succeeds without an alert', async () => {
  let attempts = 0;
  const { activities, notifications } = stubActivities({
    startGlueJobRun: async () => {
      attempts += 1;
      if (attempts < 3) throw ApplicationFailure.retryable('Glue throttled', 'GlueConcurrentRunsExceeded');
      return { jobRunId: 'jr_3', jobName: 'transform-orders', adopted: false };
    },
  });
  const { result } = await runWith(activities);
  expect(attempts).toBe(3);
  expect(result?.steps.glue).toMatchObject({ jobRunId: 'jr_3' });
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
  expect(result?.steps.refresh).toBe('skipped');
  expect(calls.map((c) => c.name)).toEqual(allSteps.slice(0, allSteps.indexOf('submitViewRefresh')));
  expect(progress.steps.find((s) => s.step === 'refresh')?.status).toBe('skipped');
});

describe('a rerun from a step', () => {
  const validate = { files: [], rowsValidated: 6, previouslyValidatedFiles: 0 };
  const glue = { jobRunId: 'jr_earlier', jobName: 'transform-orders', adopted: false, state: 'SUCCEEDED' as const, executionTimeSeconds: 30 };
  const rerunFromLoad: PipelineRunInput = { ...input, options: { reuse: { fromRun: 'run-1', steps: { validate, glue } } } };

  test('skips exactly the reused steps, returns their results as if run and says so in the notification', async () => {
    const { activities, calls, notifications } = stubActivities();
    const { result, progress } = await runWith(activities, rerunFromLoad);

    expect(calls.map((c) => c.name)).toEqual(allSteps.slice(allSteps.indexOf('confirmNoFilesLanded')));
    expect(result).toMatchObject({ outcome: 'succeeded', steps: { validate, glue, load: { statementId: 'st-1' } } });
    expect(progress.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'validate:skipped',
      'glue:skipped',
      'load:succeeded',
      'refresh:succeeded',
      'notify:succeeded',
    ]);
    expect(progress.steps[1].detail).toBe('reused from run run-1: run jr_earlier SUCCEEDED in 30s');
    expect(notifications).toHaveLength(1);
    expect(notifications[0].details).toContain('Run Glue job: reused from run run-1: run jr_earlier SUCCEEDED in 30s');
  });

  test('a rerun started before step lists, its results beside fromRun, reuses them the same way', async () => {
    const { activities, calls } = stubActivities();
    const legacyReuse = { fromRun: 'run-1', validate, glue } as unknown as ReusedSteps;
    const { result, progress } = await runWith(activities, { ...input, options: { reuse: legacyReuse } });

    expect(calls.map((c) => c.name)).toEqual(allSteps.slice(allSteps.indexOf('confirmNoFilesLanded')));
    expect(result).toMatchObject({ outcome: 'succeeded', steps: { validate, glue, load: { statementId: 'st-1' } } });
    expect(progress.steps[1].detail).toBe('reused from run run-1: run jr_earlier SUCCEEDED in 30s');
  });

  test('a failure carries the results of the steps completed before it, reused ones included', async () => {
    const { activities } = stubActivities({
      waitForViewRefresh: async () => {
        throw ApplicationFailure.nonRetryable('view is locked', 'RedshiftStatementFailed');
      },
    });
    const { error } = await runWith(activities, rerunFromLoad);

    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.details).toEqual([{ step: 'refresh', completed: { validate, glue, load: { statementId: 'st-1', statements: ['DELETE', 'COPY'] } } }]);
  });
});
