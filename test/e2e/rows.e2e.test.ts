import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startBackfill, waitForBackfill } from '../../src/client/operations/backfill';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun, type ClosedPipelineRun } from '../../src/client/operations/waitForRun';
import { uploadSampleFiles } from '../../src/local/sampleData';
import { runSql, type SqlValue } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import { datesBetween } from '../../src/shared/dates';
import { closeParquetWriter, parquetFile } from '../emulator/parquetFixtures';
import { awsEnvironment } from '../support/awsEnvironment';
import { etlAsync } from '../support/etl';
import { landOrderFiles } from '../support/orderFiles';
import { eventually } from '../support/processes';
import { receiveNotifications } from '../support/notifications';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';

// Data flowing from raw files to rows and views on the local stack — the sample Glue job really transforms, the
// local Redshift really loads — checked as a user would: by counting rows in fct_orders and reading the views.

const pipeline = testPipeline();
const sampleDate = '2024-01-15';
// The sample files hold 8 orders: one cancelled, one pending, and O-1003 twice; the job keeps the others.
const sampleOrders = ['O-1001', 'O-1002', 'O-1003', 'O-1005', 'O-1006'];

let stack: PipelineStack;
beforeAll(async () => {
  stack = await startPipelineStack(pipeline);
});
afterAll(async () => {
  await closeParquetWriter();
  await stack?.stop();
});

const query = async (sql: string): Promise<SqlValue[][]> => (await runSql(stack.aws.redshiftData, redshiftOf(pipeline), sql)).rows;

async function orderIds(date: string): Promise<string[]> {
  return (await query(`SELECT order_id FROM public.fct_orders WHERE order_date = '${date}' ORDER BY order_id`)).map(([id]) => String(id));
}

async function runDate(date: string): Promise<ClosedPipelineRun> {
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  return waitForRun(run, () => undefined, 100);
}

test('a run loads the date’s orders and refreshes both views; running it again leaves the same rows', async () => {
  await uploadSampleFiles(stack.aws.s3, pipeline, sampleDate);

  expect((await runDate(sampleDate)).outcome).toBe('succeeded');

  expect(await orderIds(sampleDate)).toEqual(sampleOrders);
  // The files in the order_date= folder do not hold the date: the load supplied it.
  expect(await query(`SELECT COUNT(*) FROM public.fct_orders WHERE order_date IS NULL`)).toEqual([[0]]);
  expect(await query(`SELECT orders, revenue FROM analytics.daily_sales WHERE order_date = '${sampleDate}'`)).toEqual([[5, '1444.74']]);
  expect(await query(`SELECT customer_id, orders FROM analytics.customer_metrics ORDER BY customer_id`)).toEqual([
    ['C-001', 2],
    ['C-002', 1],
    ['C-003', 1],
    ['C-004', 1],
  ]);

  expect((await runDate(sampleDate)).outcome).toBe('succeeded');
  expect(await orderIds(sampleDate)).toEqual(sampleOrders);
  expect(await query(`SELECT orders FROM analytics.daily_sales WHERE order_date = '${sampleDate}'`)).toEqual([[5]]);
  await receiveNotifications(stack.aws.sqs, stack.queueUrl, 2);
});

test('etl sql shows the rows as a table or as JSON, and says what Redshift refused', async () => {
  // Real-AWS settings pointed at this stack, as a user of a real cluster runs the command.
  const { endpoints } = stack.awsSettings;
  const env = { TEMPORAL_ADDRESS: stack.env.address, ...awsEnvironment(endpoints!.s3!, endpoints!.redshiftData!) };
  const sql = `SELECT order_date, orders, revenue FROM analytics.daily_sales WHERE order_date = '${sampleDate}'`;

  const table = await etlAsync(['sql', '--pipeline', 'orders', sql], env);
  expect(table).toEqual({ code: 0, stderr: '', stdout: `order_date  orders  revenue\n${sampleDate}  5       1444.74\n(1 row(s))\n` });

  const json = await etlAsync(['sql', '--pipeline', 'orders', '--json', 'SELECT COUNT(*) AS n FROM public.fct_orders'], env);
  expect(JSON.parse(json.stdout)).toEqual({ columns: ['n'], rows: [[5]] });

  const refused = await etlAsync(['sql', '--pipeline', 'orders', 'SELECT * FROM public.no_such_table'], env);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^etl: Redshift \(analytics\/dev\) refused it: .*relation "public.no_such_table" does not exist/);
});

test('a backfill of 10 dates loads each date’s rows once', async () => {
  const dates = datesBetween('2024-03-01', '2024-03-10');
  await landOrderFiles(stack.aws.s3, pipeline, dates);

  const backfill = await startBackfill(stack.env.client, { pipeline, from: dates[0], to: dates[9] }, dates, 3);
  const outcome = await waitForBackfill(backfill, () => undefined, 100);

  expect(outcome).toMatchObject({ outcome: 'succeeded', result: { succeeded: 10, failed: 0 } });
  const perDate = await query(
    `SELECT order_date::text, COUNT(*) FROM public.fct_orders WHERE order_date BETWEEN '2024-03-01' AND '2024-03-10' GROUP BY 1 ORDER BY 1`,
  );
  expect(perDate).toEqual(dates.map((date) => [date, 1]));
  await receiveNotifications(stack.aws.sqs, stack.queueUrl, 10);
});

test('a COPY that fails — as scripted, or for real on a Parquet file of the wrong shape — leaves the date’s earlier rows', async () => {
  const date = '2024-04-01';
  const land = () => landOrderFiles(stack.aws.s3, pipeline, [date]);
  await land();
  expect((await runDate(date)).outcome).toBe('succeeded');
  const before = await orderIds(date);
  expect(before).toEqual([`O-${date}`]);

  await land();
  await stack.control.setRedshiftRules([{ match: '^COPY', finalState: 'FAILED', error: 'ERROR: S3ServiceException: Access Denied' }]);
  const scripted = await runDate(date);
  await stack.control.setRedshiftRules([]);
  expect(scripted).toMatchObject({ outcome: 'failed', error: expect.stringContaining('Access Denied') });
  expect(await orderIds(date)).toEqual(before);

  // This time the Glue run is scripted (its script does not run) while a file of another shape lands in its output.
  await land();
  await stack.control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, [{ pollsUntilDone: 20 }]);
  const runsBefore = (await stack.control.recorded()).glue.runs.length;
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger: 'manual' });
  // Once the run has started, its earlier output is cleared and what lands there is what the load reads.
  await eventually('the Glue run', async () => (await stack.control.recorded()).glue.runs[runsBefore]);
  const wrongShape = await parquetFile([{ name: 'order_id', data: ['X-1'], type: 'STRING' }]);
  const key = `processed/orders/order_date=${date}/part-00000-wrong.parquet`;
  await stack.aws.s3.send(new PutObjectCommand({ Bucket: pipeline.s3.bucket, Key: key, Body: wrongShape }));
  const real = await waitForRun(run, () => undefined, 100);
  await stack.control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, []);

  expect(real).toMatchObject({ outcome: 'failed', error: expect.stringContaining('Load to Redshift (load) failed') });
  expect(real.outcome !== 'succeeded' && real.error).toMatch(/part-00000-wrong\.parquet|column/i);
  expect(await orderIds(date)).toEqual(before);
  const alerts = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 3);
  expect(alerts.map((alert) => alert.TopicArn)).toEqual([
    pipeline.notifications.successTopicArn,
    pipeline.notifications.failureTopicArn,
    pipeline.notifications.failureTopicArn,
  ]);
});
