import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { checkAgainLater } from '../../src/activities/checkAgainLater';
import type { PipelineConfig } from '../../src/config/schema';
import type { PipelineRunInput } from '../../src/shared/pipelineRun';
import { progressQuery } from '../../src/workflows';
import { stepOf, testPipeline, withStep } from '../support/pipelines';
import { createTimeSkippingEnv } from '../support/temporal';
import { stubActivities, stubbedRunner } from './stubbedRun';

/**
 * The waiting steps on the time-skipping server: a Glue run or statement is checked by an activity that Temporal
 * runs again until the work is done, so waiting holds no worker slot and adds nothing to the history per check.
 */

const pipeline = testPipeline();
const glue = stepOf(pipeline, 'glue');
const input: PipelineRunInput = { pipeline, date: '2024-01-15', trigger: 'manual' };

let env: TestWorkflowEnvironment;
let run: ReturnType<typeof stubbedRunner>;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  run = stubbedRunner(env);
});
afterAll(async () => {
  await env?.teardown();
});

/** A check that finds the work still running `checks - 1` times, then returns `result`; counts its checks. */
function doneAfter<R>(checks: number, result: R) {
  const counter = { checks: 0 };
  const check = async () => {
    counter.checks += 1;
    if (counter.checks < checks) throw checkAgainLater('the work is still running', glue.pollInterval);
    return result;
  };
  return { counter, check };
}

/** A check that never finds the work done. */
const neverDone = async () => {
  throw checkAgainLater('the work is still running', '30s');
};

type RunHandle = Parameters<NonNullable<Parameters<ReturnType<typeof stubbedRunner>>[2]>>[0];

/** Cancels the run once its progress shows `step` running. */
const cancelWhen = (step: string) => async (handle: RunHandle) => {
  while ((await handle.query(progressQuery)).steps.find((s) => s.step === step)?.status !== 'running') await new Promise((r) => setTimeout(r, 50));
  await handle.cancel();
};

/**
 * A check that never finds the work done, and a cancel of the run once it is first called: the step has started
 * its work and waits on it (a cancel that races the start itself is another case).
 */
function cancelledWhileWaiting() {
  let waiting!: () => void;
  const checked = new Promise<void>((resolve) => (waiting = resolve));
  return {
    check: async () => {
      waiting();
      return neverDone();
    },
    cancel: async (handle: RunHandle) => {
      await checked;
      await handle.cancel();
    },
  };
}

test('a Glue run checked 200 times adds no event to the history beyond a run checked once', async () => {
  const figures = { executionTimeSeconds: 6000, dpuSeconds: 12000 };
  const once = doneAfter(1, figures);
  const long = doneAfter(200, figures);

  const short = await run(stubActivities(pipeline, { waitForGlueJobRun: once.check }).activities, input);
  const waited = await run(stubActivities(pipeline, { waitForGlueJobRun: long.check }).activities, input);

  expect(long.counter.checks).toBe(200);
  expect(waited.result?.steps.glue).toMatchObject({ jobRunId: 'jr_1', state: 'SUCCEEDED', ...figures });
  expect(waited.historyEvents).toBe(short.historyEvents);
});

test('cancelling a run while it waits on Glue stops that Glue run once and sends no alert', async () => {
  const { activities, calls, notifications } = stubActivities(pipeline, { waitForGlueJobRun: neverDone });

  const { error } = await run(activities, input, cancelWhen('glue'));

  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect(calls.filter((c) => c.name === 'stopGlueJobRun').map((c) => c.input)).toEqual([{ jobName: 'transform-orders', jobRunId: 'jr_1' }]);
  expect(notifications).toHaveLength(0);
});

test('cancelling a run while it waits on the load cancels that statement once', async () => {
  const waiting = cancelledWhileWaiting();
  const { activities, calls, notifications } = stubActivities(pipeline, { waitForLoad: waiting.check });

  const { error, progress } = await run(activities, input, waiting.cancel);

  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect(calls.filter((c) => c.name === 'cancelStatement').map((c) => c.input)).toEqual([{ statementId: 'st-1' }]);
  expect(progress.status).toBe('cancelled');
  expect(notifications).toHaveLength(0);
});

test("a Glue run past the step's startToCloseTimeout is stopped and fails the run with one alert that says what to change", async () => {
  const shortDeadline: PipelineConfig = withStep(pipeline, 'glue', { options: { ...glue.options, startToCloseTimeout: '10m' } });
  const { activities, calls, notifications } = stubActivities(shortDeadline, { waitForGlueJobRun: neverDone });

  const { error } = await run(activities, { ...input, pipeline: shortDeadline });

  const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
  expect(cause.message).toBe(
    'Run Glue job (glue) failed for orders 2024-01-15: Glue job transform-orders run jr_1 did not finish within 10m ' +
      '(options.startToCloseTimeout of step glue) and was stopped: raise the timeout in the pipeline config if the job needs longer, then run the date again',
  );
  expect(calls.filter((c) => c.name === 'stopGlueJobRun')).toHaveLength(1);
  expect(notifications.map((n) => [n.outcome, n.failedStep])).toEqual([['failed', 'glue']]);
});

test("a failed Glue run fails the step with Glue's message and is not stopped", async () => {
  const failed = async () => {
    throw ApplicationFailure.nonRetryable('Glue job transform-orders run jr_1 FAILED: out of memory', 'GlueJobFailed');
  };
  const { activities, calls, notifications } = stubActivities(pipeline, { waitForGlueJobRun: failed });

  const { error } = await run(activities, input);

  expect(((error as WorkflowFailedError).cause as ApplicationFailure).message).toContain('run jr_1 FAILED: out of memory');
  expect(calls.map((c) => c.name)).not.toContain('stopGlueJobRun');
  expect(notifications).toHaveLength(1);
});
