import { planBackfill, startBackfill, waitForBackfill, type BackfillRange } from '../../src/client/operations/backfill';
import { startOrAttach } from '../../src/client/operations/startRun';
import type { LatestDateRun } from '../../src/client/operations/runHistory';
import type { EmulatorRecording } from '../../src/local/emulator';
import { provisionPipelines } from '../../src/local/provision';
import { runSql } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';
import type { BackfillProgress } from '../../src/shared/backfill';
import { datesBetween } from '../../src/shared/dates';
import { pipelineWorkflowId } from '../../src/shared/ids';
import { backfillProgressQuery } from '../../src/workflows';
import { landOrderFiles } from '../support/orderFiles';
import { startPipelineStack, type PipelineStack } from '../support/pipelineStack';
import { stepOf, testPipeline } from '../support/pipelines';

/** Backfills on the dev server with a worker, moto and the Glue/Redshift emulator, through the typed client functions. */

const pipeline = testPipeline();
let stack: PipelineStack;

beforeAll(async () => {
  // Temporal suggests continuing as new after 30 events instead of 4,096, so a few dates cross workflow runs.
  stack = await startPipelineStack(pipeline, { temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 30 } });
});
afterAll(() => stack?.stop());

/** A clean emulator (the Glue job is created again with MaxConcurrentRuns 3) and files for every date of the range. */
async function prepare(from: string, to: string): Promise<BackfillRange & { dates: string[] }> {
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);
  const dates = datesBetween(from, to);
  await landOrderFiles(stack.aws.s3, pipeline, dates);
  return { pipeline, from, to, dates };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** The SQL of the batches the runs sent (not the DDL provisioning sent). */
const pipelineBatches = (recorded: EmulatorRecording) =>
  recorded.redshift.statements.filter((statement) => statement.statementName?.startsWith('etl-')).map((statement) => statement.sqls);

/** [date, rows] for each date of the range that has rows in the local Redshift's fct_orders. */
async function rowsPerDate(from: string, to: string) {
  const sql = `SELECT order_date::text, COUNT(*) FROM public.fct_orders WHERE order_date BETWEEN '${from}' AND '${to}' GROUP BY 1 ORDER BY 1`;
  return (await runSql(stack.aws.redshiftData, redshiftOf(pipeline), sql)).rows;
}

const refreshes = (sqls: string[][]) => sqls.filter((batch) => batch.some((sql) => sql.startsWith('REFRESH MATERIALIZED VIEW')));

test('a 10-date backfill at concurrency 3 runs each date once, never more than 3 at a time, and refreshes views once', async () => {
  const range = await prepare('2024-02-01', '2024-02-10');
  // The Glue runs run the sample job's script, so they overlap: the cap is what keeps them to 3.
  await stack.control.setRedshiftRules([{ match: `^DELETE .*'2024-02-05'`, finalState: 'FAILED', error: 'ERROR: permission denied for relation fct_orders' }]);

  const backfill = await startBackfill(stack.env.client, range, range.dates, 3);
  const seen: BackfillProgress[] = [];
  const outcome = await waitForBackfill(backfill, (progress) => seen.push(progress), 100);

  expect(outcome).toMatchObject({
    outcome: 'succeeded',
    result: {
      total: 10,
      succeeded: 9,
      failed: 1,
      attached: 0,
      concurrency: 3,
      failures: [{ date: '2024-02-05', step: 'load', error: expect.stringContaining('permission denied for relation fct_orders') }],
      refresh: { outcome: 'succeeded', viewsRefreshed: stepOf(pipeline, 'refresh').views },
    },
  });
  const recorded = await stack.control.recorded();
  const glueDates = recorded.glue.runs.map((run) => run.arguments['--execution_date']).sort();
  expect(glueDates).toEqual(range.dates);
  expect(recorded.glue.maxConcurrentRuns[stepOf(pipeline, 'glue').jobName]).toBeLessThanOrEqual(3);
  // The backfill never asked Glue for more runs than it allows: no StartJobRun was refused and retried.
  expect(recorded.requests.filter((request) => request.target === 'AWSGlue.StartJobRun')).toHaveLength(10);
  const batches = pipelineBatches(recorded);
  expect(refreshes(batches)).toHaveLength(1);
  expect(batches[batches.length - 1]).toEqual(refreshes(batches)[0]);
  expect(await rowsPerDate('2024-02-01', '2024-02-10')).toEqual(range.dates.filter((date) => date !== '2024-02-05').map((date) => [date, 1]));

  expect(seen.some((progress) => progress.running > 0)).toBe(true);
  expect(Math.max(...seen.map((progress) => progress.running))).toBeLessThanOrEqual(3);
  expect(seen[seen.length - 1]).toMatchObject({ total: 10, succeeded: 9, failed: 1, running: 0, pending: 0 });
});

test('--only failed reruns just the date whose last run failed', async () => {
  const range: BackfillRange = { pipeline, from: '2024-02-01', to: '2024-02-10' };
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);

  // Visibility is eventually consistent: wait until it has seen the failed run close.
  let plan: LatestDateRun[] = [];
  await until(async () => (plan = await planBackfill(stack.env.client, range, 'failed')).length > 0);
  expect(plan).toMatchObject([{ date: '2024-02-05', outcome: 'failed', step: 'load', closeTime: expect.any(Date) }]);
  expect(await planBackfill(stack.env.client, range, 'missing')).toEqual([]);

  const backfill = await startBackfill(
    stack.env.client,
    range,
    plan.map((p) => p.date),
    3,
  );
  const outcome = await waitForBackfill(backfill, () => undefined, 100);

  expect(outcome).toMatchObject({ outcome: 'succeeded', result: { total: 1, succeeded: 1, failed: 0, failures: [] } });
  const recorded = await stack.control.recorded();
  expect(recorded.glue.runs.map((run) => run.arguments['--execution_date'])).toEqual(['2024-02-05']);
  expect(refreshes(pipelineBatches(recorded))).toHaveLength(1);
  expect(await rowsPerDate('2024-02-05', '2024-02-05')).toEqual([['2024-02-05', 1]]);
});

test('a date whose run is already open is waited for, not started twice', async () => {
  const range = await prepare('2024-03-01', '2024-03-03');
  // The manual run's load takes a while; the backfill's own runs go straight through.
  await stack.control.setRedshiftRules([{ match: `^DELETE .*'2024-03-02'`, pollsUntilDone: 40 }]);
  const manual = await startOrAttach(stack.env.client, { pipeline, date: '2024-03-02', trigger: 'manual' });
  await until(async () => pipelineBatches(await stack.control.recorded()).length === 1);

  const backfill = await startBackfill(stack.env.client, range, range.dates, 3);
  const outcome = await waitForBackfill(backfill, () => undefined, 100);

  expect(outcome).toMatchObject({ outcome: 'succeeded', result: { total: 3, succeeded: 3, failed: 0, attached: 1 } });
  const runs = (await stack.control.recorded()).glue.runs;
  expect(runs.map((run) => run.arguments['--execution_date']).sort()).toEqual(range.dates);
  expect(runs.find((run) => run.arguments['--execution_date'] === '2024-03-02')!.arguments['--etl_run_key']).toBe(`${manual.workflowId}/${manual.runId}`);
});

test('cancelling a running backfill cancels its runs, which stop their Glue runs', async () => {
  const range = await prepare('2024-04-01', '2024-04-06');
  await stack.control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, [{ pollsUntilDone: 100_000 }]);

  const backfill = await startBackfill(stack.env.client, range, range.dates, 2);
  await until(async () => (await stack.control.recorded()).glue.runs.length === 2);
  await backfill.handle.cancel();
  const outcome = await waitForBackfill(backfill, () => undefined, 100);

  expect(outcome.outcome).toBe('cancelled');
  const recorded = await stack.control.recorded();
  expect(recorded.glue.runs).toHaveLength(2);
  for (const run of recorded.glue.runs) {
    expect(['STOPPING', 'STOPPED']).toContain(run.state);
    const child = stack.env.client.workflow.getHandle(pipelineWorkflowId(pipeline.name, run.arguments['--execution_date']));
    expect((await child.describe()).status.name).toBe('CANCELLED');
  }
  expect(refreshes(recorded.redshift.statements.map((statement) => statement.sqls))).toHaveLength(0);
});

test('cancelling a backfill that continued as new cancels the runs it carried over, which stop their Glue runs', async () => {
  const range: BackfillRange = { pipeline, from: '2024-07-01', to: '2024-07-10' };
  const dates = datesBetween(range.from, range.to);
  await stack.control.reset();
  await provisionPipelines(stack.aws, [pipeline]);
  // The first two dates have files and wait in Glue; the others have none and fail at once, one after another.
  const slow = dates.slice(0, 2);
  await landOrderFiles(stack.aws.s3, pipeline, slow);
  await stack.control.setGlueOutcomes(stepOf(pipeline, 'glue').jobName, [{ pollsUntilDone: 100_000 }]);

  const backfill = await startBackfill(stack.env.client, range, dates, 3);
  await until(async () => (await backfill.handle.query(backfillProgressQuery).catch(() => undefined))?.failed === 8);
  const firstRun = await stack.env.client.workflow.getHandle(backfill.workflowId, backfill.runId).describe();
  expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
  await backfill.handle.cancel();
  const outcome = await waitForBackfill(backfill, () => undefined, 100);

  expect(outcome).toMatchObject({ outcome: 'cancelled', progress: { total: 10, succeeded: 0, failed: 8 } });
  const recorded = await stack.control.recorded();
  expect(recorded.glue.runs.map((run) => run.arguments['--execution_date']).sort()).toEqual(slow);
  for (const run of recorded.glue.runs) {
    expect(['STOPPING', 'STOPPED']).toContain(run.state);
    const child = stack.env.client.workflow.getHandle(pipelineWorkflowId(pipeline.name, run.arguments['--execution_date']));
    expect((await child.describe()).status.name).toBe('CANCELLED');
  }
  expect(refreshes(recorded.redshift.statements.map((statement) => statement.sqls))).toHaveLength(0);
});
