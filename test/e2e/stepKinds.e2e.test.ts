import { GetPartitionsCommand } from '@aws-sdk/client-glue';
import { parsePipeline, type PipelineConfig } from '../../src/config/schema';
import { startOrAttach } from '../../src/client/operations/startRun';
import { waitForRun, type ClosedPipelineRun } from '../../src/client/operations/waitForRun';
import { provisionPipelines } from '../../src/local/provision';
import { uploadSampleFiles } from '../../src/local/sampleData';
import { runSql } from '../../src/redshift/runSql';
import type { StepProgress, Trigger } from '../../src/shared/pipelineRun';
import { receiveNotifications } from '../support/notifications';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';

/** Pipelines of other shapes than the sample's, run for real on the local stack, their effects counted. */

const base = testPipeline();
const fast = { initialInterval: '100ms' };
const processed = `s3://${base.s3.bucket}/${base.s3.prefixes.processed}`;

/** A config as its YAML would say it, validated by the loader's schema. */
function parsed(config: unknown): PipelineConfig {
  const result = parsePipeline(config);
  if (!result.success) throw new Error(result.error.message);
  return result.data.pipeline;
}

const partitionsStep = {
  kind: 'partitions',
  database: 'lake',
  table: 'orders',
  values: ['{{date}}'],
  location: `${processed}order_date={{date}}/`,
  options: fast,
};

/** Three Glue jobs, a crawler, the date's partition, an upsert, a data quality check, the views. */
const lakehouse = parsed({
  ...base,
  steps: [
    stepOf(base, 'validate'),
    { kind: 'glue', id: 'extract', jobName: 'extract-orders', pollInterval: '50ms', options: fast },
    { kind: 'glue', id: 'enrich', jobName: 'enrich-orders', pollInterval: '50ms', options: fast },
    stepOf(base, 'glue'),
    { kind: 'crawler', name: 'orders-crawler', pollInterval: '50ms', options: fast },
    partitionsStep,
    { ...stepOf(base, 'load'), mode: 'upsert', keyColumns: ['order_id'] },
    {
      kind: 'sql',
      id: 'quality',
      statements: ['ANALYZE public.fct_orders'],
      check: 'SELECT order_id, order_amount FROM public.fct_orders WHERE order_date = :date AND order_amount < 0',
      options: fast,
    },
    stepOf(base, 'refresh'),
  ],
});

/** No Redshift at all: the files are validated, transformed and registered for Athena. */
const athenaOnly = parsed({
  ...base,
  name: 'orders-athena',
  redshift: undefined,
  steps: [stepOf(base, 'validate'), stepOf(base, 'glue'), partitionsStep],
});

let stack: PipelineStack;

beforeAll(async () => {
  stack = await startPipelineStack(lakehouse);
});

afterAll(() => stack?.stop());

async function runDate(
  pipeline: PipelineConfig,
  date: string,
  trigger: Trigger = 'manual',
): Promise<{ outcome: ClosedPipelineRun; steps: StepProgress[]; workflowId: string; runId: string }> {
  const run = await startOrAttach(stack.env.client, { pipeline, date, trigger });
  const steps: StepProgress[] = [];
  const outcome = await waitForRun(run, (step) => steps.push(step), 100);
  return { outcome, steps, workflowId: run.workflowId, runId: run.runId };
}

async function rowsFor(date: string): Promise<number> {
  const { rows } = await runSql(stack.aws.redshiftData, lakehouse.redshift!, `SELECT COUNT(*) FROM public.fct_orders WHERE order_date = '${date}'`);
  return Number(rows[0][0]);
}

async function partitionsOf(table: string): Promise<{ values: string[]; location?: string }[]> {
  const { Partitions = [] } = await stack.aws.glue.send(new GetPartitionsCommand({ DatabaseName: 'lake', TableName: table }));
  return Partitions.map((partition) => ({ values: partition.Values ?? [], location: partition.StorageDescriptor?.Location }));
}

test('each step of the list runs once, in order: three Glue runs, one crawl, one partition, the rows upserted, one alert', async () => {
  const date = '2024-01-15';
  await stack.control.reset();
  await provisionPipelines(stack.aws, [lakehouse]);
  await uploadSampleFiles(stack.aws.s3, lakehouse, date);

  const { outcome, steps, workflowId, runId } = await runDate(lakehouse, date);

  expect(outcome.outcome).toBe('succeeded');
  expect(steps.map((step) => `${step.step}:${step.status}`)).toEqual([
    'validate:succeeded',
    'extract:succeeded',
    'enrich:succeeded',
    'glue:succeeded',
    'crawler:succeeded',
    'partitions:succeeded',
    'load:succeeded',
    'quality:succeeded',
    'refresh:succeeded',
    'notify:succeeded',
  ]);
  const recorded = await stack.control.recorded();
  expect(recorded.glue.runs.map((run) => [run.jobName, run.arguments['--etl_run_key']])).toEqual([
    ['extract-orders', `${workflowId}/${runId}/extract`],
    ['enrich-orders', `${workflowId}/${runId}/enrich`],
    ['transform-orders', `${workflowId}/${runId}`],
  ]);
  expect(recorded.glue.crawls.map((crawl) => crawl.crawlerName)).toEqual(['orders-crawler']);
  expect(await partitionsOf('orders')).toEqual([{ values: [date], location: `${processed}order_date=${date}/` }]);
  expect(await rowsFor(date)).toBe(5);
  const notifications = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
  expect(notifications.map((notification) => notification.Subject)).toEqual([`ETL orders ${date} succeeded`]);
});

test('running the date again keeps one partition and the rows once', async () => {
  const date = '2024-01-15';
  const { outcome } = await runDate(lakehouse, date);

  expect(outcome.outcome).toBe('succeeded');
  expect(await partitionsOf('orders')).toHaveLength(1);
  expect(await rowsFor(date)).toBe(5);
  expect((await stack.control.recorded()).glue.crawls).toHaveLength(2);
  expect(await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1)).toHaveLength(1);
});

test('a data quality check that finds rows fails the run at its step, with the rows, and alerts once', async () => {
  const date = '2024-01-15';
  await runSql(
    stack.aws.redshiftData,
    lakehouse.redshift!,
    `INSERT INTO public.fct_orders (order_id, customer_id, order_date, order_amount) VALUES ('BAD-1', 'C-9', '${date}', -12.50)`,
  );

  const { outcome, steps } = await runDate(lakehouse, date);

  expect(outcome.outcome).toBe('failed');
  if (outcome.outcome !== 'succeeded') expect(outcome.error).toMatch(/Run SQL \(quality\) failed for orders 2024-01-15: .*order_id=BAD-1/s);
  expect(steps.map((step) => `${step.step}:${step.status}`)).toContain('quality:failed');
  expect(steps.map((step) => step.step)).not.toContain('refresh');
  const notifications = await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
  expect(notifications).toHaveLength(1);
  expect(notifications[0].Message).toContain('Failed step: quality');
  expect(notifications[0].Message).toContain('--from-step quality');
});

test('a pipeline without Redshift validates, transforms and registers the date for Athena', async () => {
  const date = '2024-01-16';
  await provisionPipelines(stack.aws, [athenaOnly]);
  await landOrderFiles(stack.aws.s3, athenaOnly, [date]);

  const { outcome, steps } = await runDate(athenaOnly, date);

  expect(outcome.outcome).toBe('succeeded');
  expect(steps.map((step) => step.step)).toEqual(['validate', 'glue', 'partitions', 'notify']);
  expect((await partitionsOf('orders')).map((partition) => partition.values)).toContainEqual([date]);
  expect(await rowsFor(date)).toBe(0);
  expect(await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1)).toHaveLength(1);
});

test("a backfill's date runs its Glue job on the settings its trigger gives, FLEX, with the run's cost", async () => {
  const date = '2024-01-17';
  const flexBackfills = parsed({
    ...athenaOnly,
    steps: athenaOnly.steps.map((step) =>
      step.kind === 'glue' ? { ...step, forTrigger: { backfill: { executionClass: 'FLEX', workerType: 'G.1X', numberOfWorkers: 2 } } } : step,
    ),
  });
  await stack.control.reset();
  await provisionPipelines(stack.aws, [flexBackfills]);
  await landOrderFiles(stack.aws.s3, flexBackfills, [date]);

  const { outcome } = await runDate(flexBackfills, date, 'backfill');

  expect(outcome.outcome).toBe('succeeded');
  const [run] = (await stack.control.recorded()).glue.runs;
  expect(run.capacity).toMatchObject({ executionClass: 'FLEX', workerType: 'G.1X', numberOfWorkers: 2 });
  // Its 2 G.1X workers for Glue's one-minute minimum, at the FLEX price: 120 DPU-seconds at 0.29 USD per DPU-hour.
  if (outcome.outcome === 'succeeded')
    expect(outcome.result.steps.glue).toMatchObject({
      executionClass: 'FLEX',
      billedDpuSeconds: 120,
      estimatedCost: { amount: 0.009667, currency: 'USD', dpuHourPrice: 0.29 },
    });
  await receiveNotifications(stack.aws.sqs, stack.queueUrl, 1);
});
