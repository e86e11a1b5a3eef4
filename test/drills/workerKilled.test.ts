import { loadPipeline } from '../../src/config/load';
import type { PipelineConfig } from '../../src/config/schema';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import { drillPipeline, sampleRunEffects, startDrillStack, type DrillStack } from './drillStack';
import { killWorkerDuring } from './killPoints';

/**
 * Drills: the worker process is SIGKILLed in the middle of each step, another worker starts, and the run completes
 * with every file validated once, one Glue run, the date's rows once in the local Redshift and one notification.
 * The Glue drill runs at the default timeouts and retries and must complete within 30 seconds of the new worker's
 * start; the others notice the dead worker within about ten seconds (drillPipeline) to keep the suite short.
 */

/** What the project promises: a killed worker's run resumes on its replacement within this. */
const resumptionMs = 30_000;

let stack: DrillStack;

beforeAll(async () => {
  stack = await startDrillStack();
  await stack.startWorker();
});

afterAll(() => stack?.stop());

test('a worker killed while it reads a file during validation is replaced; each file is validated once', async () => {
  const date = '2024-02-01';
  const { outcome } = await killWorkerDuring(stack, drillPipeline(), date, 'validate');

  expect(outcome.outcome).toBe('succeeded');
  expect(await stack.effects(drillPipeline(), date)).toEqual(sampleRunEffects(date));
});

test('a worker killed during the Glue run is replaced and the run completes within 30s, at the default timeouts and retries', async () => {
  const date = '2024-02-02';
  const sample = loadPipeline('orders');
  // Only the Redshift poll interval is short, so the load and refresh after resumption take milliseconds.
  const pipeline: PipelineConfig = { ...sample, redshift: { ...sample.redshift!, pollInterval: '50ms' } };
  const { outcome, completedInMs } = await killWorkerDuring(stack, pipeline, date, 'glue');

  expect(outcome.outcome).toBe('succeeded');
  expect(completedInMs).toBeLessThan(resumptionMs);
  expect(await stack.effects(pipeline, date)).toEqual(sampleRunEffects(date));
});

test('a worker killed while the load statement runs is replaced; the date has its rows once', async () => {
  const date = '2024-02-03';
  const { outcome } = await killWorkerDuring(stack, drillPipeline(), date, 'load');

  expect(outcome.outcome).toBe('succeeded');
  expect(await stack.effects(drillPipeline(), date)).toEqual(sampleRunEffects(date));
});

test('a worker killed while the views refresh is replaced; the views count the date once', async () => {
  const date = '2024-02-04';
  const { outcome } = await killWorkerDuring(stack, drillPipeline(), date, 'refresh');

  expect(outcome.outcome).toBe('succeeded');
  expect(await stack.effects(drillPipeline(), date)).toEqual(sampleRunEffects(date));
  const sales = await runSql(stack.aws.redshiftData, redshiftOf(drillPipeline()), `SELECT orders FROM analytics.daily_sales WHERE order_date = '${date}'`);
  expect(sales.rows.map(([orders]) => Number(orders))).toEqual([5]);
});

test('a worker killed while its notification is on its way to SNS is replaced; one notification arrives', async () => {
  const date = '2024-02-05';
  const { outcome } = await killWorkerDuring(stack, drillPipeline(), date, 'notify');

  expect(outcome.outcome).toBe('succeeded');
  expect(await stack.effects(drillPipeline(), date)).toEqual(sampleRunEffects(date));
});
