import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetJobRunCommand, GlueClient, StartJobRunCommand, type JobRun } from '@aws-sdk/client-glue';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { provisionPipelines } from '../../src/local/provision';
import { renderTemplate } from '../../src/shared/dates';
import { listKeys, putObject, startLocalAws, type LocalAws } from '../support/aws';
import { readParquetObject } from '../support/parquet';
import { stepOf, testPipeline } from '../support/pipelines';
import { eventually } from '../support/processes';

/** The sample pipeline, its Glue job running jobs/orders/transform_orders.py; its table is not needed here. */
const sample = testPipeline();
const pipeline = { ...sample, redshift: { ...sample.redshift!, ddl: undefined } };
const glueStep = stepOf(pipeline, 'glue');
const { bucket, prefixes } = pipeline.s3;
const sampleDate = '2024-01-15';
const sampleDir = join(__dirname, '../../sample-data/orders', sampleDate);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';

let aws: LocalAws;
let emulator: RunningEmulator;
let glue: GlueClient;
let redshiftData: RedshiftDataClient;

beforeAll(async () => {
  aws = await startLocalAws();
  emulator = await startEmulator({ s3: { endpoint: aws.moto.endpoint, region, credentials } });
  glue = new GlueClient({ endpoint: emulator.url, region, credentials });
  redshiftData = new RedshiftDataClient({ endpoint: emulator.url, region, credentials });
  await provisionPipelines({ s3: aws.s3, sns: aws.sns, sqs: aws.sqs, glue, redshiftData }, [pipeline]);
});

afterAll(async () => {
  glue?.destroy();
  redshiftData?.destroy();
  await emulator?.close();
  await aws?.stop();
});

/** Starts the job with the pipeline's arguments for the date, as the Glue step does, and polls until it ends. */
async function runJob(date: string): Promise<JobRun> {
  const args = Object.fromEntries(Object.entries(glueStep.arguments).map(([name, value]) => [name, renderTemplate(value, { date })]));
  const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: glueStep.jobName, Arguments: args }));
  return eventually(`Glue run ${JobRunId} to end`, async () => {
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: glueStep.jobName, RunId: JobRunId }));
    return ['STARTING', 'RUNNING', 'STOPPING'].includes(JobRun!.JobRunState!) ? undefined : JobRun;
  });
}

const processedFolder = (date: string) => `${prefixes.processed}order_date=${date}/`;

test('the sample job turns the sample files into one Parquet file of completed, unique orders without order_date', async () => {
  for (const name of readdirSync(sampleDir)) {
    await putObject(aws.s3, bucket, `${prefixes.validated}${sampleDate}/${name}`, readFileSync(join(sampleDir, name)));
  }

  const run = await runJob(sampleDate);

  expect({ state: run.JobRunState, error: run.ErrorMessage }).toEqual({ state: 'SUCCEEDED', error: undefined });
  const written = await listKeys(aws.s3, bucket, processedFolder(sampleDate));
  expect(written).toEqual([expect.stringMatching(/\.parquet$/)]);
  const { columns, rows } = await readParquetObject(aws.s3, bucket, written[0]);
  expect(columns).toEqual([
    { name: 'order_id', type: 'string' },
    { name: 'customer_id', type: 'string' },
    { name: 'order_amount', type: 'decimal128(18, 2)' },
    { name: 'product_id', type: 'string' },
    { name: 'created_at', type: 'timestamp[us, tz=UTC]' },
    { name: 'processed_at', type: 'timestamp[us, tz=UTC]' },
  ]);
  // O-1004 (cancelled) and O-1007 (pending) are left out, and O-1003, exported twice, is there once.
  expect(rows.map(({ processed_at: _processedAt, ...row }) => row)).toEqual([
    { order_id: 'O-1001', customer_id: 'C-001', order_amount: '129.99', product_id: 'P-10', created_at: '2024-01-15T08:12:00+00:00' },
    { order_id: 'O-1002', customer_id: 'C-002', order_amount: '15.50', product_id: 'P-11', created_at: '2024-01-15T09:03:44+00:00' },
    { order_id: 'O-1003', customer_id: 'C-003', order_amount: '1250.00', product_id: 'P-12, gift wrapped', created_at: '2024-01-15T10:30:00+00:00' },
    { order_id: 'O-1005', customer_id: 'C-001', order_amount: '42.00', product_id: null, created_at: '2024-01-15T11:00:00+00:00' },
    { order_id: 'O-1006', customer_id: 'C-004', order_amount: '7.25', product_id: 'P-10', created_at: null },
  ]);
  const processedAt = new Set(rows.map((row) => row.processed_at));
  expect(processedAt.size).toBe(1);
  const stamp = Date.parse(String([...processedAt][0]));
  // Written during the run.
  expect(stamp).toBeGreaterThanOrEqual(run.StartedOn!.getTime());
  expect(stamp).toBeLessThanOrEqual(run.CompletedOn!.getTime());
});

test('a date without validated files fails the run with the job error as ErrorMessage', async () => {
  const run = await runJob('2024-01-16');

  expect(run.JobRunState).toBe('FAILED');
  expect(run.ErrorMessage).toContain(`no input files under s3://${bucket}/${prefixes.validated}2024-01-16/`);
  expect(await listKeys(aws.s3, bucket, processedFolder('2024-01-16'))).toEqual([]);
});

test('a file without the order_status column fails the run naming the file', async () => {
  const date = '2024-01-17';
  const key = `${prefixes.validated}${date}/old_export.csv`;
  await putObject(aws.s3, bucket, key, `order_id,customer_id,order_date,order_amount,product_id,created_at\nO-1,C-1,${date},1.00,,\n`);

  const run = await runJob(date);

  expect(run.JobRunState).toBe('FAILED');
  expect(run.ErrorMessage).toContain(`s3://${bucket}/${key} cannot be read as an orders file`);
  expect(run.ErrorMessage).toContain('order_status');
  expect(await listKeys(aws.s3, bucket, processedFolder(date))).toEqual([]);
});
