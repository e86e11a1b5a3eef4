import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun, type ClosedPipelineRun } from '../../src/client/operations/waitForRun';
import { provisionPipelines } from '../../src/local/provision';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import { listKeys, putObject } from '../support/aws';
import { receiveNotifications } from '../support/notifications';
import { eventually } from '../support/processes';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';
import { ordersHeader } from '../support/orderFiles';

// The sequence a data engineer lives through when one file of a date is broken: the date fails, a rerun
// that changes nothing still fails (it never loads the valid file alone), and landing the fixed file makes
// the next run load the whole date once. Counted: files in S3, Glue runs, Redshift loads, alerts.

const pipeline = testPipeline();
const date = '2024-02-01';
const { bucket, prefixes } = pipeline.s3;

let stack: PipelineStack;
beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
});
afterAll(() => stack?.stop());

/** The load batches the runs sent to Redshift. */
async function loadBatches() {
  return (await stack.control.recorded()).redshift.statements.filter((statement) => statement.statementName?.endsWith('-load'));
}

async function runDate(): Promise<ClosedPipelineRun> {
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  return waitForRun(run, () => undefined, 100);
}

const land = (name: string, amount: string) =>
  putObject(stack.aws.s3, bucket, `${prefixes.raw}${date}/${name}`, `${ordersHeader}\nO-${name},C-1,${date},${amount},,,completed\n`);

test('a date with a rejected file fails until the file is fixed, then loads whole, once', async () => {
  await land('good.csv', '1.00');
  await land('bad.csv', 'not-a-number');

  const first = await runDate();
  expect(first).toMatchObject({ outcome: 'failed', error: expect.stringContaining('Validate files (validate) failed') });

  const rerun = await runDate();
  expect(rerun).toMatchObject({ outcome: 'failed', error: expect.stringContaining('1 file(s) of orders 2024-02-01 are still rejected') });
  const alerts = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 2);
  expect(alerts.map((alert) => alert.TopicArn)).toEqual([pipeline.notifications.failureTopicArn, pipeline.notifications.failureTopicArn]);
  expect(alerts[1].Message).toContain('bad.csv: rejected by an earlier run');
  expect(alerts[1].Message).toContain(`etl drop-file --pipeline ${pipeline.name} --date ${date}`);
  // Nothing went past validation: no Glue run, no load.
  expect((await stack.control.recorded()).glue.runs).toHaveLength(0);
  expect(await loadBatches()).toHaveLength(0);

  await land('bad.csv', '2.00');
  const fixed = await runDate();

  expect(fixed.outcome).toBe('succeeded');
  expect(await listKeys(stack.aws.s3, bucket, `${prefixes.validated}${date}/`)).toEqual([
    `${prefixes.validated}${date}/bad.csv`,
    `${prefixes.validated}${date}/good.csv`,
  ]);
  expect(await listKeys(stack.aws.s3, bucket, `${prefixes.errors}${date}/`)).toEqual([]);
  const recorded = await stack.control.recorded();
  expect(recorded.glue.runs).toHaveLength(1);
  expect(await loadBatches()).toHaveLength(1);
  const { rows } = await runSql(stack.aws.redshiftData, redshiftOf(pipeline), `SELECT order_id FROM public.fct_orders WHERE order_date = '${date}' ORDER BY 1`);
  expect(rows).toEqual([['O-bad.csv'], ['O-good.csv']]);
  const success = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
  expect(success.map((alert) => alert.TopicArn)).toEqual([pipeline.notifications.successTopicArn]);
});

test('a file landing while Glue runs fails the run before the load, which changes nothing', async () => {
  const lateDate = '2024-02-02';
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);
  await putObject(stack.aws.s3, bucket, `${prefixes.raw}${lateDate}/orders.csv`, `${ordersHeader}\nO-1,C-1,${lateDate},1.00,,,completed\n`);
  await stack.control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, [{ pollsUntilDone: 40 }]);

  const run = await startOrAttach(stack.env.client, { pipeline, date: lateDate, trigger: 'manual' });
  await eventually('the Glue run', async () => (await stack.control.recorded()).glue.runs[0]);
  await putObject(stack.aws.s3, bucket, `${prefixes.raw}${lateDate}/correction.csv`, `${ordersHeader}\nO-2,C-1,${lateDate},2.00,,,completed\n`);
  const outcome = await waitForRun(run, () => undefined, 100);

  expect(outcome).toMatchObject({ outcome: 'failed', error: expect.stringContaining('1 file(s) landed in') });
  expect(await loadBatches()).toHaveLength(0);
  expect((await runSql(stack.aws.redshiftData, redshiftOf(pipeline), `SELECT COUNT(*) FROM public.fct_orders WHERE order_date = '${lateDate}'`)).rows).toEqual([
    [0],
  ]);
  const alerts = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
  expect(alerts).toHaveLength(1);
  expect(alerts[0].Message).toContain('Failed step: load');
  expect(alerts[0].Message).toContain('correction.csv');
});
