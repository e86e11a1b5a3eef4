import { startBackfill, waitForBackfill } from '../../src/client/operations/backfill';
import type { PipelineConfig } from '../../src/config/schema';
import { provisionPipelines } from '../../src/local/provision';
import { datesBetween } from '../../src/shared/dates';
import { receiveNotifications } from '../support/notifications';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { testPipeline, withStep } from '../support/pipelines';

/** A backfill tells a person once how it went, counted on the queue both topics publish to; its Glue runs take its own settings. */

const pipeline = testPipeline();
let stack: PipelineStack;

beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
});
afterAll(() => stack?.stop());

/** Backfills `from`..`to` with the load of `failing` refused, and returns the notifications it led to. */
async function backfill(config: PipelineConfig, from: string, to: string, failing?: string) {
  await stack.control.reset();
  await provisionPipelines(stack.aws, [config]);
  const dates = datesBetween(from, to);
  await landOrderFiles(stack.aws.s3, config, dates);
  if (failing)
    await stack.control.setRedshiftRules([{ match: `^DELETE .*'${failing}'`, finalState: 'FAILED', error: 'ERROR: permission denied for relation fct_orders' }]);
  const outcome = await waitForBackfill(await startBackfill(stack.env.client, { pipeline: config, from, to }, dates, 2), () => undefined, 100);
  expect(outcome.outcome).toBe('succeeded');
  return receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
}

test('a backfill whose dates all succeed sends one notification, its summary, to the success topic', async () => {
  const notifications = await backfill(pipeline, '2024-03-01', '2024-03-03');

  expect(notifications.map((notification) => [notification.TopicArn, notification.Subject])).toEqual([
    [pipeline.notifications.successTopicArn, 'ETL orders backfill 2024-03-01..2024-03-03 succeeded: 3 date(s)'],
  ]);
  expect(notifications[0].Message).toContain('Succeeded: 3');
});

test('a backfill with a failed date sends one summary to the failure topic, naming the date, its step, its error and the rerun', async () => {
  const notifications = await backfill(pipeline, '2024-03-04', '2024-03-06', '2024-03-05');

  expect(notifications).toHaveLength(1);
  const [summary] = notifications;
  expect([summary.TopicArn, summary.Subject]).toEqual([
    pipeline.notifications.failureTopicArn,
    'ETL orders backfill 2024-03-04..2024-03-06 FAILED: 1 of 3 date(s) failed',
  ]);
  expect(summary.Message).toMatch(/^2024-03-05: failed at load: .*permission denied for relation fct_orders/m);
  expect(summary.Message).toContain('Rerun the failed dates: etl backfill --pipeline orders --from 2024-03-05 --to 2024-03-05 --only failed --wait');
});

test('with backfillAlerts each-failure, each failed date alerts too, besides the summary', async () => {
  const alerting = { ...pipeline, notifications: { ...pipeline.notifications, backfillAlerts: 'each-failure' as const } };

  const notifications = await backfill(alerting, '2024-03-07', '2024-03-09', '2024-03-08');

  expect(notifications.map((notification) => notification.Subject).sort()).toEqual([
    'ETL orders 2024-03-08 FAILED at load',
    'ETL orders backfill 2024-03-07..2024-03-09 FAILED: 1 of 3 date(s) failed',
  ]);
});

test("a backfill runs its dates' Glue jobs on the settings the step gives backfills: FLEX", async () => {
  const flex = withStep(pipeline, 'glue', { forTrigger: { backfill: { executionClass: 'FLEX', workerType: 'G.1X', numberOfWorkers: 2 } } });

  await backfill(flex, '2024-03-10', '2024-03-11');

  const runs = (await stack.control.recorded()).glue.runs;
  expect(runs.map((run) => [run.arguments['--execution_date'], run.capacity.executionClass]).sort()).toEqual([
    ['2024-03-10', 'FLEX'],
    ['2024-03-11', 'FLEX'],
  ]);
});
