import { ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun, type ClosedPipelineRun } from '../../src/client/operations/waitForRun';
import { latestRunsByDate } from '../../src/client/operations/runHistory';
import { provisionPipelines } from '../../src/local/provision';
import { uploadSampleFiles } from '../../src/local/sampleData';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import type { StepProgress } from '../../src/shared/pipelineRun';
import { listKeys } from '../support/aws';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';

/** A real run for a date: dev server + worker + moto + the Glue/Redshift emulator, all on loopback. */

const pipeline = testPipeline();
const date = '2024-01-15';

let stack: PipelineStack;
let env: PipelineStack['env'];
let control: PipelineStack['control'];
let aws: PipelineStack['aws'];
let queueUrl: string;
let uiUrl: string;

beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
  ({ env, control, aws, queueUrl, uiUrl } = stack);
});

afterAll(() => stack?.stop());

/** The SNS messages the run published, read back through the SQS queue subscribed to both topics. */
async function receiveNotifications(expected: number): Promise<{ Subject: string; Message: string; TopicArn: string }[]> {
  const messages: { Subject: string; Message: string; TopicArn: string }[] = [];
  // Keep reading a little after reaching `expected`, so an unwanted extra message is caught too.
  for (let emptyReads = 0; emptyReads < 2 || messages.length < expected;) {
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (!Messages.length) emptyReads += 1;
    for (const message of Messages) {
      messages.push(JSON.parse(message.Body!));
      await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    if (emptyReads > 20) break;
  }
  return messages;
}

/** The date's rows in the local Redshift's fct_orders. */
async function ordersLoaded(): Promise<number> {
  const { rows } = await runSql(aws.redshiftData, redshiftOf(pipeline), `SELECT COUNT(*) FROM public.fct_orders WHERE order_date = '${date}'`);
  return Number(rows[0][0]);
}

async function runDate(runDate = date): Promise<{ outcome: ClosedPipelineRun; steps: StepProgress[]; workflowId: string; runId: string }> {
  const run = await startOrAttach(env.client, { pipeline, date: runDate, trigger: 'manual' });
  const steps: StepProgress[] = [];
  const outcome = await waitForRun(run, (step) => steps.push(step), 100);
  return { outcome, steps, workflowId: run.workflowId, runId: run.runId };
}

test('a run for a date moves the files, runs Glue once, loads in one transaction and notifies once', async () => {
  await control.reset();
  await provisionPipelines(aws, [pipeline]);
  await uploadSampleFiles(aws.s3, pipeline, date);

  const { outcome, steps, workflowId, runId } = await runDate();

  expect(outcome.outcome).toBe('succeeded');
  expect(steps.map((s) => `${s.step}:${s.status}`)).toEqual(['validate:succeeded', 'glue:succeeded', 'load:succeeded', 'refresh:succeeded', 'notify:succeeded']);

  const { bucket, prefixes } = pipeline.s3;
  expect(await listKeys(aws.s3, bucket, `${prefixes.raw}${date}/`)).toEqual([]);
  expect(await listKeys(aws.s3, bucket, `${prefixes.validated}${date}/`)).toEqual([
    `${prefixes.validated}${date}/orders_part1.csv`,
    `${prefixes.validated}${date}/orders_part2.csv`,
  ]);

  const recorded = await control.recorded();
  expect(recorded.glue.runs).toHaveLength(1);
  expect(recorded.glue.runs[0].arguments).toMatchObject({ '--execution_date': date, '--etl_run_key': `${workflowId}/${runId}` });

  // One load batch and one refresh batch (the DDL provisioning ran before them), both finished: the rows are there.
  const [load, refresh] = recorded.redshift.statements.filter((statement) => statement.statementName?.startsWith('etl-'));
  expect([load.statementName, load.status, refresh.statementName, refresh.status]).toEqual([
    `etl-orders-${date}-load`,
    'FINISHED',
    `etl-orders-${date}-refresh`,
    'FINISHED',
  ]);
  expect(await ordersLoaded()).toBe(5);

  const notifications = await receiveNotifications(1);
  expect(notifications).toHaveLength(1);
  expect(notifications[0].TopicArn).toBe(pipeline.notifications.successTopicArn);
  expect(notifications[0].Subject).toBe(`ETL orders ${date} succeeded`);
  expect(notifications[0].Message).toContain(`${uiUrl}/namespaces/default/workflows/${workflowId}/${runId}/history`);
  // The Glue run's capacity and estimated cost: the job's 2 G.1X workers for Glue's one-minute minimum (the local
  // run takes seconds) at the STANDARD list price, 0.0147 USD.
  expect(notifications[0].Message).toMatch(
    /Run Glue job: run jr_\w+ SUCCEEDED in \d+s \(STANDARD, 2 × G\.1X\), \d+ DPU-seconds \(120 billed: Glue's one-minute minimum\), est\. 0\.01 USD/,
  );
});

test('running the same date again reloads it with a fresh Glue run, its rows once', async () => {
  await control.reset();
  await provisionPipelines(aws, [pipeline]);

  const { outcome } = await runDate();

  expect(outcome.outcome).toBe('succeeded');
  if (outcome.outcome === 'succeeded') expect(outcome.result.steps.validate).toMatchObject({ previouslyValidatedFiles: 2 });
  const recorded = await control.recorded();
  expect(recorded.glue.runs).toHaveLength(1);
  // The emulator was reset, so this is a new local Redshift: the rerun loaded the date into it from scratch.
  expect(await ordersLoaded()).toBe(5);
  expect(await receiveNotifications(1)).toHaveLength(1);
});

test('a failed COPY fails the run at the load step with Redshift’s error and one alert', async () => {
  await control.reset();
  await provisionPipelines(aws, [pipeline]);
  await control.setRedshiftRules([{ match: '^COPY', finalState: 'FAILED', error: 'S3ServiceException: The specified key does not exist' }]);

  const { outcome } = await runDate();

  expect(outcome.outcome).toBe('failed');
  if (outcome.outcome !== 'succeeded') expect(outcome.error).toContain('Load to Redshift (load) failed for orders 2024-01-15');
  const notifications = await receiveNotifications(1);
  expect(notifications).toHaveLength(1);
  expect(notifications[0].TopicArn).toBe(pipeline.notifications.failureTopicArn);
  expect(notifications[0].Message).toContain('Failed step: load');
  expect(notifications[0].Message).toContain('The specified key does not exist');
  expect(notifications[0].Message).toMatch(/Run Glue job: succeeded, run jr_\w+ SUCCEEDED .*, est\. 0\.0\d+ USD/);
  expect(notifications[0].Message).toContain(`etl run --pipeline orders --date ${date}`);
});

test('starting a date that is running attaches to it, and cancelling stops its Glue run', async () => {
  await control.reset();
  await provisionPipelines(aws, [pipeline]);
  await control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, [{ pollsUntilDone: 100_000, finalState: 'SUCCEEDED' }]);

  const first = await startOrAttach(env.client, { pipeline, date, trigger: 'manual' });
  const second = await startOrAttach(env.client, { pipeline, date, trigger: 'manual' });
  expect(second.attached).toBe(true);
  expect(second.runId).toBe(first.runId);

  while ((await control.recorded()).glue.runs.length === 0) await new Promise((r) => setTimeout(r, 100));
  await first.handle.cancel();
  const outcome = await waitForRun(first, () => undefined, 100);

  expect(outcome.outcome).toBe('cancelled');
  const recorded = await control.recorded();
  expect(recorded.glue.runs).toHaveLength(1);
  // BatchStopJobRun was sent: Glue reports STOPPING until the stop completes.
  expect(['STOPPING', 'STOPPED']).toContain(recorded.glue.runs[0].state);
  expect(await receiveNotifications(0)).toHaveLength(0);
});

test('visibility reports each date’s latest run, and the dates that never ran', async () => {
  const expected = [
    { date: '2024-01-14', outcome: 'neverRan' },
    { date, outcome: 'cancelled', step: 'glue', trigger: 'manual' },
  ];
  // Visibility is eventually consistent: give it a moment to see the last run close.
  let grid = await latestRunsByDate(env.client, pipeline.name, '2024-01-14', date);
  for (let tries = 0; tries < 50 && grid[1].outcome !== 'cancelled'; tries++) {
    await new Promise((r) => setTimeout(r, 100));
    grid = await latestRunsByDate(env.client, pipeline.name, '2024-01-14', date);
  }
  expect(grid).toMatchObject(expected);
});
