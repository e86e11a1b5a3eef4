import { WorkflowFailedError } from '@temporalio/client';
import type { PipelineConfig } from '../../src/config/schema';
import { provisionPipelines } from '../../src/local/provision';
import type { PipelineRunInput } from '../../src/shared/pipelineRun';
import { pipelineRun } from '../../src/workflows';
import { receiveNotifications } from '../support/notifications';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { testPipeline, withStep } from '../support/pipelines';

/**
 * A run started by a client other than `etl` (here a bare Temporal client, with no search attributes), with an
 * input the CLI would have refused: the run fails at once with one alert naming the problem, and runs nothing.
 */

const pipeline = testPipeline();

let stack: PipelineStack;
beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
});
afterAll(() => stack?.stop());

let runs = 0;
/** Starts pipelineRun with `input` as it is, and returns how it ended. */
async function runWithInput(input: unknown): Promise<WorkflowFailedError> {
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);
  const handle = await stack.env.client.workflow.start(pipelineRun, {
    taskQueue: pipeline.taskQueue,
    workflowId: `malformed-input-${(runs += 1)}`,
    args: [input as PipelineRunInput],
  });
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  return failure as WorkflowFailedError;
}

const { redshift: _redshift, ...withoutRedshift } = pipeline;

test.each([
  ['an impossible date', { pipeline, date: '2024-13-45', trigger: 'manual' }, 'date "2024-13-45" is not a valid date'],
  ['a date that is not one', { pipeline, date: 'not-a-date', trigger: 'manual' }, 'date "not-a-date" is not a valid date'],
  ['an unknown trigger', { pipeline, date: '2024-01-15', trigger: 'nightly' }, 'trigger "nightly" is not one of schedule, manual, backfill'],
  ['a config without its Redshift target', { pipeline: withoutRedshift, date: '2024-01-15', trigger: 'manual' }, 'pipeline config: redshift: missing'],
  [
    'a config with a zero poll interval',
    { pipeline: withStep(pipeline, 'glue', { pollInterval: '0s' }), date: '2024-01-15', trigger: 'manual' },
    'pipeline config: steps[1].pollInterval: must be longer than 0',
  ],
])('%s fails the run with one alert naming the problem, and runs nothing', async (_, input, problem) => {
  const failure = await runWithInput(input);

  expect(failure.cause).toMatchObject({ type: 'InvalidRunInput', nonRetryable: true });
  expect(failure.cause?.message).toContain(problem);
  const alerts = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
  expect(alerts).toHaveLength(1);
  expect(alerts[0].TopicArn).toBe(pipeline.notifications.failureTopicArn);
  expect(alerts[0].Subject).toMatch(/FAILED at input$/);
  expect(alerts[0].Message).toContain(problem);
  // Rerunning the same input cannot help: the alert says to start again with a valid one, and offers no rerun.
  expect(alerts[0].Message).toContain('start the run again with a valid input');
  expect(alerts[0].Message).not.toContain('Rerun');
  const recorded = await stack.control.recorded();
  expect(recorded.glue.runs).toHaveLength(0);
  // No load or refresh (the statements provisioning sent are the DDL's).
  expect(recorded.redshift.statements.filter((statement) => statement.statementName?.startsWith('etl-'))).toHaveLength(0);
});

test('without a failure topic in the input, the run still fails at once, naming the problem', async () => {
  const { notifications: _notifications, ...withoutTopics } = pipeline;

  const failure = await runWithInput({ pipeline: withoutTopics as PipelineConfig, date: '2024-02-30', trigger: 'manual' });

  expect(failure.cause).toMatchObject({ type: 'InvalidRunInput' });
  expect(failure.cause?.message).toContain('date "2024-02-30" is not a valid date');
  expect(await receiveNotifications(stack.aws.sqs, stack.queueUrl, 0)).toHaveLength(0);
});
