import { BatchExecuteStatementCommand, type RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Info } from '@temporalio/activity';
import { ActivityCancellationDetails, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { createRedshiftActivities, type SubmittedStatement } from '../../src/activities/redshift/activity';
import { copySource } from '../../src/activities/redshift/copySource';
import type { PipelineConfig, StepOf } from '../../src/config/schema';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { applyDdl } from '../../src/local/redshiftDdl';
import { runSql } from '../../src/redshift/runSql';
import { loadInput, redshiftOf, refreshInput, type RedshiftConnection, type SqlInput } from '../../src/shared/activityInputs';
import { closeParquetWriter, parquetFile } from '../emulator/parquetFixtures';
import { waitOptions } from '../../src/workflows/stepOptions';
import { activityEnvironment, startAttempt } from '../support/activities';
import { runWithRetries } from '../support/retries';
import { createBucket, startLocalAws, type LocalAws } from '../support/aws';
import { legacyPipeline } from '../support/legacyPipelines';
import { stepOf, testPipeline, withStep } from '../support/pipelines';
import { createAwsClients } from '../../src/aws/awsClients';

// The Redshift activities against the emulator's real SQL engine, its COPY reading a Parquet file from moto.

const pipeline = testPipeline();
const date = '2024-01-15';
const loadOfDate = loadInput(pipeline, stepOf(pipeline, 'load'), date);
const refreshOfDate = refreshInput(pipeline, stepOf(pipeline, 'refresh').views, date);
const orderIds = ['O-1', 'O-2', 'O-3'];

let aws: LocalAws;
let emulator: RunningEmulator;
let control: EmulatorControl;
let redshiftData: RedshiftDataClient;
let activities: ReturnType<typeof createRedshiftActivities>;

beforeAll(async () => {
  aws = await startLocalAws();
  emulator = await startEmulator({
    port: 0,
    s3: { endpoint: aws.moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  });
  control = new EmulatorControl(emulator.url);
  // The worker's own client factory, pointed at the emulator.
  redshiftData = createAwsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    endpoints: { redshiftData: emulator.url },
  }).redshiftData;
  activities = createRedshiftActivities({ redshiftData });
  // What the Glue job writes for the date: the columns of the load step's copy.columns, in order.
  const { bucket, prefix } = copySource(loadOfDate.redshift, date);
  await createBucket(aws.s3, bucket);
  const at = orderIds.map(() => new Date(`${date}T09:00:00Z`));
  const body = await parquetFile([
    { name: 'order_id', data: orderIds, type: 'STRING' },
    { name: 'customer_id', data: ['C-1', 'C-1', 'C-2'], type: 'STRING' },
    { name: 'order_amount', data: [10.5, 4.25, 1], element: { type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2 } },
    { name: 'product_id', data: ['P-1', 'P-2', null], type: 'STRING' },
    { name: 'created_at', data: at, type: 'TIMESTAMP' },
    { name: 'processed_at', data: at, type: 'TIMESTAMP' },
  ]);
  await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}part-00000.parquet`, Body: body }));
});

afterAll(async () => {
  redshiftData.destroy();
  await closeParquetWriter();
  await emulator.close();
  await aws?.stop();
});

/** A fresh local Redshift with the sample's table and views. */
beforeEach(async () => {
  await control.reset();
  await applyDdl(redshiftData, pipeline);
});

/** The statements the activities sent (not the DDL). */
async function recordedStatements() {
  return (await control.recorded()).redshift.statements.filter((statement) => statement.statementName?.startsWith('etl-'));
}

async function loadedIds(redshift: RedshiftConnection = redshiftOf(pipeline)): Promise<string[]> {
  const { rows } = await runSql(redshiftData, redshift, `SELECT order_id FROM public.fct_orders WHERE order_date = '${date}' ORDER BY 1`);
  return rows.map(([id]) => String(id));
}

function submit(activity: 'submitLoad' | 'submitViewRefresh', config = pipeline, info: Partial<Info> = {}): Promise<SubmittedStatement> {
  const env = activityEnvironment(info);
  return activity === 'submitLoad'
    ? env.run(activities.submitLoad, loadInput(config, stepOf(config, 'load'), date))
    : env.run(activities.submitViewRefresh, refreshInput(config, stepOf(config, 'refresh').views, date));
}

/** The load as the workflow runs it: submitLoad, then the check that Temporal repeats until the batch is done. */
async function load(config = pipeline, info: Partial<Info> = {}) {
  const { statementId } = await submit('submitLoad', config, info);
  const step = stepOf(config, 'load');
  const { retry } = waitOptions(step, 'wait for the load');
  return (await runWithRetries(retry!, activities.waitForLoad, [{ ...loadInput(config, step, date), statementId }], info)).result;
}

describe('the load: submitLoad, then waitForLoad', () => {
  test("replaces the date's rows in one transaction through a staging table", async () => {
    const result = await load();

    const statements = await recordedStatements();
    expect(statements).toHaveLength(1);
    const [batch] = statements;
    expect(batch).toMatchObject({
      isBatch: true,
      statementName: 'etl-orders-2024-01-15-load',
      workgroupName: 'analytics',
      database: 'dev',
      secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl',
      status: 'FINISHED',
    });
    expect(batch.sqls.map((sql) => sql.split(' ').slice(0, 2).join(' '))).toEqual([
      'CREATE TEMP',
      'COPY "etl_staging"',
      'UPDATE "etl_staging"',
      'SELECT 1',
      'DELETE FROM',
      'INSERT INTO',
    ]);
    expect(result).toMatchObject({ statementId: batch.id, statements: batch.sqls });
  });

  test('reports the rows the INSERT loaded, and loading again replaces them', async () => {
    // Two runs of the date: each its own workflow run, so its own batch (ClientToken).
    const run = (runId: string) => load(pipeline, { workflowExecution: { workflowId: 'etl-orders-2024-01-15', runId } });
    expect(await run('first')).toMatchObject({ rowsLoaded: 3 });
    expect(await run('second')).toMatchObject({ rowsLoaded: 3 });
    expect(await recordedStatements()).toHaveLength(2);
    expect(await loadedIds()).toEqual(orderIds);
  });

  test('rows of another date in the COPY source fail the load for good, saying where to look', async () => {
    await control.setRedshiftRules([{ match: '^SELECT 1 / CASE', pollsUntilDone: 1, finalState: 'FAILED', error: 'ERROR: division by zero' }]);

    const failure = await load().catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'RowsOfAnotherDate',
      nonRetryable: true,
      message:
        'Some rows of the COPY source s3://etl-data-lake/processed/orders/order_date=2024-01-15/ have no order_date ' +
        'or one other than 2024-01-15; nothing was loaded and public.fct_orders keeps the rows it had for 2024-01-15. ' +
        "Check the Glue job's output: it must write only 2024-01-15's rows under that folder.",
    });
  });

  test('a provisioned cluster is addressed by cluster identifier and database user', async () => {
    const { workgroupName: _serverless, secretArn: _secret, ...connection } = redshiftOf(pipeline);
    const redshift = { ...connection, clusterIdentifier: 'analytics-cluster', dbUser: 'etl' };
    await applyDdl(redshiftData, { ...pipeline, redshift });

    await load({ ...pipeline, redshift });

    const [batch] = await recordedStatements();
    expect(batch).toMatchObject({ clusterIdentifier: 'analytics-cluster', dbUser: 'etl' });
    expect(batch.workgroupName).toBeUndefined();
    expect(batch.secretArn).toBeUndefined();
  });

  test("a failed COPY fails for good with Redshift's error text", async () => {
    const error = "ERROR: Load into table 'fct_orders' failed. Check 'sys_load_error_detail' system table for details.";
    await control.setRedshiftRules([{ match: '^COPY', pollsUntilDone: 1, finalState: 'FAILED', error }]);

    const failure = await load().catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'RedshiftStatementFailed',
      nonRetryable: true,
      message: expect.stringContaining(error),
    });
  });

  test('a retried submit gets its batch back by its ClientToken instead of submitting a second one', async () => {
    const first = await submit('submitLoad');
    const retried = await submit('submitLoad', pipeline, { attempt: 2 });

    expect(retried).toEqual(first);
    expect(await recordedStatements()).toHaveLength(1);
  });

  test('a check of a batch still running has Temporal check again later: soon at first, then at the poll interval', async () => {
    await control.setRedshiftRules([{ match: '^COPY', pollsUntilDone: 100 }]);
    const fiveSeconds: PipelineConfig = { ...pipeline, redshift: { ...redshiftOf(pipeline), pollInterval: '5s' } };
    const { statementId } = await submit('submitLoad', fiveSeconds);
    const check = (attempt: number) =>
      activityEnvironment({ attempt })
        .run(activities.waitForLoad, { ...loadInput(fiveSeconds, stepOf(fiveSeconds, 'load'), date), statementId })
        .catch((err: unknown) => err);

    expect(await check(1)).toMatchObject({ type: 'StillRunning', nonRetryable: false, category: 'BENIGN', nextRetryDelay: 1000 });
    expect(await check(2)).toMatchObject({ nextRetryDelay: 2000 });
    expect(await check(9)).toMatchObject({ nextRetryDelay: 5000 });
    expect((await recordedStatements())[0].status).not.toBe('FINISHED');
  });

  test('cancelStatement aborts the batch; nothing is committed and its wait fails for good', async () => {
    await control.setRedshiftRules([{ match: '^COPY', pollsUntilDone: 100 }]);
    const { statementId } = await submit('submitLoad');

    await activityEnvironment().run(activities.cancelStatement, { statementId });

    const [batch] = await recordedStatements();
    expect(batch.status).toBe('ABORTED');
    expect(await loadedIds()).toEqual([]);
    await expect(load()).rejects.toMatchObject({ type: 'RedshiftStatementAborted', nonRetryable: true });
  });
});

/** Rows of the table as `order_id date amount`, other dates included. */
async function tableRows(redshift: RedshiftConnection = redshiftOf(pipeline)): Promise<string[]> {
  const { rows } = await runSql(redshiftData, redshift, 'SELECT order_id, order_date, order_amount FROM public.fct_orders ORDER BY 1, 2');
  return rows.map((row) => row.join(' '));
}

async function insertOrders(values: string): Promise<void> {
  await runSql(redshiftData, redshiftOf(pipeline), `INSERT INTO public.fct_orders (order_id, customer_id, order_date, order_amount) VALUES ${values}`);
}

function withLoad(load: Partial<StepOf<'load'>>): PipelineConfig {
  return withStep(pipeline, 'load', load);
}

/** Each its own workflow run of the date, so its own batch (ClientToken). */
const runOfDate = (runId: string): Partial<Info> => ({ workflowExecution: { workflowId: 'etl-orders-2024-01-15', runId } });

describe('load modes', () => {
  test("replace-date is what an input recorded before load modes gets: the date's rows are replaced", async () => {
    await insertOrders(`('OLD-1', 'C-1', '${date}', 1.00), ('D14', 'C-1', '2024-01-14', 2.00)`);
    const { mode: _none, ...recorded } = loadOfDate.redshift;
    const { statementId }: SubmittedStatement = await activityEnvironment().run(activities.submitLoad, { pipelineName: 'orders', date, redshift: recorded });
    const { result } = await runWithRetries({ maximumAttempts: 10 }, activities.waitForLoad, [{ pipelineName: 'orders', date, redshift: recorded, statementId }]);

    expect(result).toMatchObject({ mode: 'replace-date', rowsLoaded: 3, rowsDeleted: 1 });
    expect(await tableRows()).toEqual(['D14 2024-01-14 2.00', 'O-1 2024-01-15 10.50', 'O-2 2024-01-15 4.25', 'O-3 2024-01-15 1.00']);
  });

  test("upsert replaces the rows whose key a staged row has, wherever their date, inserts the others and keeps the date's rest", async () => {
    const upsert = withLoad({ mode: 'upsert', keyColumns: ['order_id'] });
    await insertOrders(`('O-1', 'C-1', '2024-01-10', 99.00), ('O-7', 'C-7', '${date}', 7.00), ('D14', 'C-1', '2024-01-14', 2.00)`);

    expect(await load(upsert, runOfDate('first'))).toMatchObject({ mode: 'upsert', rowsLoaded: 3, rowsDeleted: 1 });
    const upserted = ['D14 2024-01-14 2.00', 'O-1 2024-01-15 10.50', 'O-2 2024-01-15 4.25', 'O-3 2024-01-15 1.00', 'O-7 2024-01-15 7.00'];
    expect(await tableRows()).toEqual(upserted);

    // Loading the date again replaces the same keys: nothing is duplicated.
    expect(await load(upsert, runOfDate('second'))).toMatchObject({ rowsLoaded: 3, rowsDeleted: 3 });
    expect(await tableRows()).toEqual(upserted);
  });

  test('upsert of staged rows that share a key fails for good, naming the key, and changes nothing', async () => {
    // Two of the COPY source's rows belong to customer C-1.
    const byCustomer = withLoad({ mode: 'upsert', keyColumns: ['customer_id'] });
    await insertOrders(`('O-1', 'C-1', '${date}', 99.00)`);

    const failure = await load(byCustomer).catch((err: unknown) => err);

    expect(failure).toMatchObject({
      type: 'DuplicateKeys',
      nonRetryable: true,
      message: expect.stringContaining(
        'Some rows of the COPY source s3://etl-data-lake/processed/orders/order_date=2024-01-15/ share their key (customer_id) with another row, or have none; ' +
          'Redshift has no unique constraints, so an upsert of them would leave public.fct_orders with duplicate keys: nothing was loaded and public.fct_orders is as it was.',
      ),
    });
    expect(await tableRows()).toEqual(['O-1 2024-01-15 99.00']);
  });

  test('append adds the rows once: a second run of the date is refused, and following its advice appends the date again', async () => {
    const append = withLoad({ mode: 'append' });
    await insertOrders(`('X-1', 'C-9', '${date}', 5.00)`);
    const appended = ['O-1 2024-01-15 10.50', 'O-2 2024-01-15 4.25', 'O-3 2024-01-15 1.00', 'X-1 2024-01-15 5.00'];

    expect(await load(append, runOfDate('first'))).toMatchObject({ mode: 'append', rowsLoaded: 3 });
    expect(await tableRows()).toEqual(appended);

    const refused = await load(append, runOfDate('second')).catch((err: unknown) => err);
    expect(refused).toMatchObject({
      type: 'DateAlreadyAppended',
      nonRetryable: true,
      message:
        "orders already appended 2024-01-15's rows to public.fct_orders (so says public.etl_appended_dates); an append loads a date once, " +
        'so nothing was loaded and public.fct_orders is as it was. To run the steps after the load, rerun the date from the next step. ' +
        'To append 2024-01-15 again on purpose, delete the rows it appended and then its entry with DELETE FROM public.etl_appended_dates ' +
        "WHERE pipeline_name = 'orders' AND table_name = 'public.fct_orders' AND load_date = '2024-01-15', then run the date again.",
    });
    expect(await tableRows()).toEqual(appended);

    await runSql(redshiftData, redshiftOf(pipeline), `DELETE FROM public.fct_orders WHERE order_id LIKE 'O-%'`);
    const ledgerEntry = "pipeline_name = 'orders' AND table_name = 'public.fct_orders' AND load_date = '2024-01-15'";
    await runSql(redshiftData, redshiftOf(pipeline), `DELETE FROM public.etl_appended_dates WHERE ${ledgerEntry}`);
    expect(await load(append, runOfDate('third'))).toMatchObject({ rowsLoaded: 3 });
    expect(await tableRows()).toEqual(appended);
  });

  test('another pipeline appending to the same table for the same date is not held up by the ledger', async () => {
    await load(withLoad({ mode: 'append' }), runOfDate('first'));
    const other = { ...withLoad({ mode: 'append' }), name: 'orders-backup' };

    await load(other, runOfDate('other pipeline'));

    const { rows } = await runSql(redshiftData, redshiftOf(pipeline), 'SELECT pipeline_name, table_name, load_date FROM public.etl_appended_dates ORDER BY 1');
    expect(rows).toEqual([
      ['orders', 'public.fct_orders', date],
      ['orders-backup', 'public.fct_orders', date],
    ]);
    expect(await tableRows()).toHaveLength(6);
  });
});

describe('the sql step: submitSql, then waitForSql', () => {
  const sqlStep = (step: Pick<SqlInput, 'statements' | 'check'>): SqlInput => ({
    pipelineName: 'orders',
    date,
    stepId: 'quality',
    redshift: refreshOfDate.redshift,
    ...step,
  });

  async function runStep(input: SqlInput) {
    const { statementId }: SubmittedStatement = await activityEnvironment().run(activities.submitSql, input);
    return (await runWithRetries({ maximumAttempts: 20 }, activities.waitForSql, [{ ...input, statementId }])).result;
  }

  test("runs the statements in one transaction with :date bound to the run's date", async () => {
    await insertOrders(`('A', 'C-1', '${date}', -1.00), ('B', 'C-1', '${date}', 3.00), ('C', 'C-1', '2024-01-14', -1.00)`);

    const result = await runStep(
      sqlStep({ statements: ['DELETE FROM public.fct_orders WHERE order_date = :date AND order_amount < 0', 'ANALYZE public.fct_orders'] }),
    );

    expect(await tableRows()).toEqual(['B 2024-01-15 3.00', 'C 2024-01-14 -1.00']);
    const [batch] = await recordedStatements();
    expect(batch).toMatchObject({ isBatch: true, statementName: 'etl-orders-2024-01-15-quality', parameters: [{ name: 'date', value: date }], status: 'FINISHED' });
    expect(result).toMatchObject({ statementId: batch.id, statements: batch.sqls, rowsAffected: [1, 0] });
    expect(result.checkRows).toBeUndefined();
  });

  test('statements that do not use :date are sent without parameters', async () => {
    const result = await runStep(sqlStep({ statements: ['ANALYZE public.fct_orders'] }));

    const [batch] = await recordedStatements();
    expect(batch.parameters).toBeUndefined();
    expect(result).toMatchObject({ statementId: batch.id });
  });

  test('a VACUUM, which Redshift refuses inside a transaction, is submitted on its own', async () => {
    const result = await runStep(sqlStep({ statements: ['VACUUM DELETE ONLY public.fct_orders'] }));

    const [statement] = await recordedStatements();
    expect(statement).toMatchObject({ isBatch: false, sqls: ['VACUUM DELETE ONLY public.fct_orders'], status: 'FINISHED' });
    expect(result).toMatchObject({ statementId: statement.id, statements: statement.sqls });
  });

  test('a TRUNCATE on its own empties the table', async () => {
    await insertOrders(`('A', 'C-1', '${date}', 1.00), ('B', 'C-1', '2024-01-14', 2.00)`);

    await runStep(sqlStep({ statements: ['TRUNCATE public.fct_orders'] }));

    expect(await tableRows()).toEqual([]);
    const [statement] = await recordedStatements();
    expect(statement.isBatch).toBe(false);
  });

  test('a statement on its own that fails fails the step for good, with its SQL', async () => {
    const failure = await runStep(sqlStep({ statements: ['TRUNCATE public.no_such_table'] })).catch((err: unknown) => err);

    expect(failure).toMatchObject({
      type: 'RedshiftStatementFailed',
      nonRetryable: true,
      details: [expect.objectContaining({ failedSql: 'TRUNCATE public.no_such_table' })],
    });
    expect((failure as Error).message).toMatch(/no_such_table/);
  });

  const negativeAmounts = 'SELECT order_id, order_amount FROM public.fct_orders WHERE order_date = :date AND order_amount < 0 ORDER BY order_id';

  test('a check that finds no rows passes', async () => {
    await insertOrders(`('A', 'C-1', '${date}', 1.00), ('B', 'C-1', '2024-01-14', -1.00)`);

    expect(await runStep(sqlStep({ statements: [], check: negativeAmounts }))).toMatchObject({ checkRows: 0, rowsAffected: [0] });
  });

  test('a check that finds rows fails the step for good, showing the first of them and how many there are', async () => {
    const orders = ['N-1', 'N-2', 'N-3', 'N-4', 'N-5', 'N-6', 'N-7'];
    await insertOrders(orders.map((id) => `('${id}', 'C-1', '${date}', -2.50)`).join(', '));

    const failure = await runStep(sqlStep({ statements: ['ANALYZE public.fct_orders'], check: negativeAmounts })).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'DataQualityCheckFailed',
      nonRetryable: true,
      message:
        'The check of step quality found 7 row(s) that must not exist for 2024-01-15 (the first 5): ' +
        '(order_id=N-1, order_amount=-2.50); (order_id=N-2, order_amount=-2.50); (order_id=N-3, order_amount=-2.50); ' +
        '(order_id=N-4, order_amount=-2.50); (order_id=N-5, order_amount=-2.50). ' +
        "The step's statements before the check were committed; the steps after it did not run. Fix the data or the check, then run the date again.",
    });
  });
});

describe('loadToRedshift, the one-activity load that runs started before the load was split still schedule', () => {
  test('cancelling the activity cancels the statement', async () => {
    await control.setRedshiftRules([{ match: '^COPY', pollsUntilDone: 100 }]);
    const env = activityEnvironment();
    const attempt = startAttempt(env, activities.loadToRedshift, loadOfDate);
    await attempt.started;

    env.cancel();

    await expect(attempt.result).rejects.toBeInstanceOf(CancelledFailure);
    const [batch] = await recordedStatements();
    expect(batch.status).toBe('ABORTED');
  });

  test('a retry resumes the statement named in its heartbeat details and does not submit it again', async () => {
    await control.setRedshiftRules([{ match: '', pollsUntilDone: 0 }]); // finished before the retry looks
    const { Id } = await redshiftData.send(
      new BatchExecuteStatementCommand({ Sqls: ['SELECT 1'], StatementName: 'etl-orders-2024-01-15-load', WorkgroupName: 'analytics', Database: 'dev' }),
    );

    const result = await activityEnvironment({ heartbeatDetails: { statementId: Id } }).run(activities.loadToRedshift, loadOfDate);

    expect(result).toMatchObject({ statementId: Id });
    expect(await recordedStatements()).toHaveLength(1);
  });

  test('an attempt whose heartbeat was lost gets its batch back instead of submitting a second one', async () => {
    await control.setRedshiftRules([{ match: '^COPY', pollsUntilDone: 4 }]);
    const first = activityEnvironment();
    const attempt = startAttempt(first, activities.loadToRedshift, loadOfDate);
    await attempt.started;
    // The worker shuts down: the statement keeps running for the next attempt, which never saw the heartbeat.
    first.cancel('WORKER_SHUTDOWN', new ActivityCancellationDetails({ workerShutdown: true }));
    await expect(attempt.result).rejects.toBeInstanceOf(CancelledFailure);

    const result = await activityEnvironment().run(activities.loadToRedshift, loadOfDate);

    const statements = await recordedStatements();
    expect(statements).toHaveLength(1);
    expect(statements[0].status).toBe('FINISHED');
    expect(result).toMatchObject({ statementId: statements[0].id });
  });
});

describe('the refresh: submitViewRefresh, then waitForViewRefresh', () => {
  test('refreshes every configured view in one batch', async () => {
    const { statementId } = await submit('submitViewRefresh');
    const { retry } = waitOptions(stepOf(pipeline, 'refresh'), 'wait for the refresh');
    const { result } = await runWithRetries(retry!, activities.waitForViewRefresh, [{ ...refreshOfDate, statementId }]);

    const statements = await recordedStatements();
    expect(statements.map((statement) => [statement.id, statement.statementName, statement.status])).toEqual([
      [statementId, 'etl-orders-2024-01-15-refresh', 'FINISHED'],
    ]);
    expect(result).toEqual({ statementId, viewsRefreshed: ['analytics.daily_sales', 'analytics.customer_metrics'] });
  });
});

describe("refreshViews, the one-activity refresh of the backfill's end and of runs started before it was split", () => {
  test('refreshes every configured view in one batch', async () => {
    const result = await activityEnvironment().run(activities.refreshViews, refreshOfDate);

    const statements = await recordedStatements();
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({
      statementName: 'etl-orders-2024-01-15-refresh',
      sqls: ['REFRESH MATERIALIZED VIEW "analytics"."daily_sales"', 'REFRESH MATERIALIZED VIEW "analytics"."customer_metrics"'],
    });
    expect(result).toEqual({
      statementId: statements[0].id,
      viewsRefreshed: ['analytics.daily_sales', 'analytics.customer_metrics'],
    });
  });

  test('with no views configured, runs nothing', async () => {
    const result = await activityEnvironment().run(activities.refreshViews, refreshInput(pipeline, [], date));

    expect(result).toEqual({ viewsRefreshed: [] });
    expect(await recordedStatements()).toHaveLength(0);
  });
});

describe('inputs scheduled by runs on earlier workflow code, with the whole pipeline config', () => {
  test('load the date and refresh the views the same', async () => {
    const { retry } = waitOptions(stepOf(pipeline, 'load'), 'wait for the load');
    const earlier = { pipeline: legacyPipeline(pipeline), date };
    const { statementId }: SubmittedStatement = await activityEnvironment().run(activities.submitLoad, earlier);
    const { result: loaded } = await runWithRetries(retry!, activities.waitForLoad, [{ ...earlier, statementId }]);
    // Another activity of the run: its own ClientToken.
    const refreshed = await activityEnvironment({ activityId: '2' }).run(activities.refreshViews, earlier);

    expect(loaded).toMatchObject({ statementId, rowsLoaded: 3 });
    expect(await loadedIds()).toEqual(orderIds);
    expect(refreshed).toMatchObject({ viewsRefreshed: ['analytics.daily_sales', 'analytics.customer_metrics'] });
    expect((await recordedStatements()).map((statement) => statement.statementName)).toEqual(['etl-orders-2024-01-15-load', 'etl-orders-2024-01-15-refresh']);
  });
});
