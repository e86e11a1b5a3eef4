import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
  type StatementData,
} from '@aws-sdk/client-redshift-data';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';

const serverless = {
  WorkgroupName: 'analytics',
  Database: 'dev',
  SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl',
};
const createOrders = 'CREATE TABLE public.fct_orders (order_id VARCHAR(50), order_date DATE)';
const deleteDay = 'DELETE FROM public.fct_orders WHERE order_date = :run_date';
const insertDay = "INSERT INTO public.fct_orders VALUES ('a', :run_date)";
const copyDay =
  "COPY public.fct_orders FROM 's3://etl-bucket/processed/orders/2024-01-15/' IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopy' FORMAT AS PARQUET";

let emulator: RunningEmulator;
let redshift: RedshiftDataClient;
let control: EmulatorControl;

beforeAll(async () => {
  emulator = await startEmulator();
  redshift = new RedshiftDataClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  control = new EmulatorControl(emulator.url);
});

afterAll(async () => {
  redshift.destroy();
  await emulator.close();
});

beforeEach(() => control.reset());

async function execute(sql: string, statementName?: string): Promise<string> {
  const { Id } = await redshift.send(new ExecuteStatementCommand({ ...serverless, Sql: sql, StatementName: statementName }));
  return Id!;
}

async function describe(id: string): Promise<DescribeStatementResponse> {
  return redshift.send(new DescribeStatementCommand({ Id: id }));
}

/** Polls DescribeStatement as the Redshift activity does; returns the statuses seen and the final description. */
async function pollUntilDone(id: string): Promise<{ statuses: string[]; statement: DescribeStatementResponse }> {
  const statuses: string[] = [];
  for (let poll = 0; poll < 20; poll++) {
    const statement = await describe(id);
    statuses.push(statement.Status!);
    if (['FINISHED', 'FAILED', 'ABORTED'].includes(statement.Status!)) return { statuses, statement };
  }
  throw new Error(`statement ${id} did not finish; statuses seen: ${statuses.join(', ')}`);
}

test('a statement finishes on the first poll by default and is recorded as sent', async () => {
  const id = await execute('SELECT 42 AS answer', 'orders-2024-01-15-check');

  const { statuses, statement } = await pollUntilDone(id);

  expect(statuses).toEqual(['FINISHED']);
  expect(statement).toMatchObject({ Id: id, QueryString: 'SELECT 42 AS answer', ...serverless });
  expect(statement.CreatedAt).toBeInstanceOf(Date);
  expect(statement.Duration).toEqual(expect.any(Number));
  await expect(redshift.send(new GetStatementResultCommand({ Id: id }))).resolves.toMatchObject({ Records: [[{ longValue: 42 }]] });
  const [recorded] = (await control.recorded()).redshift.statements;
  expect(recorded).toMatchObject({
    id,
    isBatch: false,
    sqls: ['SELECT 42 AS answer'],
    workgroupName: 'analytics',
    database: 'dev',
    secretArn: serverless.SecretArn,
    statementName: 'orders-2024-01-15-check',
    status: 'FINISHED',
  });
});

test('a batch runs through PICKED and STARTED to FINISHED, with its sub-statements and parameters', async () => {
  await control.setRedshiftRules([{ match: '^insert ', pollsUntilDone: 3 }]);
  const { Id } = await redshift.send(
    new BatchExecuteStatementCommand({
      ClusterIdentifier: 'etl-cluster',
      Database: 'dev',
      DbUser: 'etl',
      Sqls: [createOrders, deleteDay, insertDay],
      Parameters: [{ name: 'run_date', value: '2024-01-15' }],
    }),
  );

  const { statuses, statement } = await pollUntilDone(Id!);

  expect(statuses).toEqual(['PICKED', 'STARTED', 'FINISHED']);
  expect(statement.SubStatements).toEqual([
    expect.objectContaining({ Id: `${Id}:1`, QueryString: createOrders, Status: 'FINISHED' }),
    expect.objectContaining({ Id: `${Id}:2`, QueryString: deleteDay, Status: 'FINISHED', ResultRows: 0 }),
    expect.objectContaining({ Id: `${Id}:3`, QueryString: insertDay, Status: 'FINISHED', ResultRows: 1 }),
  ]);
  const [recorded] = (await control.recorded()).redshift.statements;
  expect(recorded).toMatchObject({
    isBatch: true,
    sqls: [createOrders, deleteDay, insertDay],
    parameters: [{ name: 'run_date', value: '2024-01-15' }],
    clusterIdentifier: 'etl-cluster',
    dbUser: 'etl',
  });
});

test("a failing sub-statement fails the whole batch with Redshift's error text", async () => {
  const loadError = "Load into table 'fct_orders' failed. Check 'sys_load_error_detail' system table for details.";
  await control.setRedshiftRules([{ match: 'copy', finalState: 'FAILED', error: loadError }]);
  const { Id } = await redshift.send(new BatchExecuteStatementCommand({ ...serverless, Sqls: [deleteDay, copyDay, 'ANALYZE public.fct_orders'] }));

  const { statement } = await pollUntilDone(Id!);

  expect(statement).toMatchObject({ Status: 'FAILED', Error: loadError });
  expect(statement.SubStatements!.map((sub) => sub.Status)).toEqual(['FINISHED', 'FAILED', 'ABORTED']);
  expect(statement.SubStatements![1].Error).toBe(loadError);
  await expect(redshift.send(new GetStatementResultCommand({ Id: `${Id}:2` }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
});

test('CancelStatement aborts a running statement', async () => {
  await control.setRedshiftRules([{ match: '', pollsUntilDone: 10 }]);
  const id = await execute(copyDay);
  expect((await describe(id)).Status).toBe('PICKED');

  await expect(redshift.send(new CancelStatementCommand({ Id: id }))).resolves.toMatchObject({ Status: true });

  expect((await describe(id)).Status).toBe('ABORTED');
  await expect(redshift.send(new CancelStatementCommand({ Id: id }))).rejects.toMatchObject({ name: 'ValidationException' });
});

test('GetStatementResult returns the records scripted for a query', async () => {
  await control.setRedshiftRules([{ match: '^select count', records: [[{ longValue: 1250 }]] }]);
  const id = await execute('SELECT count(*) FROM public.fct_orders WHERE order_date = :run_date');

  const { statement } = await pollUntilDone(id);
  const result = await redshift.send(new GetStatementResultCommand({ Id: id }));

  expect(statement).toMatchObject({ HasResultSet: true, ResultRows: 1 });
  expect(result).toMatchObject({ Records: [[{ longValue: 1250 }]], TotalNumRows: 1 });
});

test('ListStatements finds statements by name prefix, newest first, in pages', async () => {
  const load = await execute(copyDay, 'orders-2024-01-15-load');
  const refresh = await execute('REFRESH MATERIALIZED VIEW public.mv_daily_orders', 'orders-2024-01-15-refresh');
  await execute(copyDay, 'customers-2024-01-15-load');

  const listed: StatementData[] = [];
  let nextToken: string | undefined;
  do {
    const page = await redshift.send(new ListStatementsCommand({ StatementName: 'orders-2024-01-15', MaxResults: 1, NextToken: nextToken }));
    listed.push(...page.Statements!);
    nextToken = page.NextToken;
  } while (nextToken);

  expect(listed.map((statement) => statement.Id)).toEqual([refresh, load]);
  expect(listed[1]).toMatchObject({ StatementName: 'orders-2024-01-15-load', QueryString: copyDay, IsBatchStatement: false });
});

test('a repeated ClientToken returns the statement it first created', async () => {
  const submit = () => redshift.send(new ExecuteStatementCommand({ ...serverless, Sql: copyDay, ClientToken: 'orders-2024-01-15-load' }));

  const first = await submit();
  const retry = await submit();

  expect(retry.Id).toBe(first.Id);
  expect((await control.recorded()).redshift.statements).toHaveLength(1);
});

test('unknown statements and incomplete requests raise the AWS exceptions', async () => {
  const unknownId = '00000000-0000-0000-0000-000000000000';
  await expect(describe(unknownId)).rejects.toMatchObject({ name: 'ResourceNotFoundException', ResourceId: unknownId });
  await expect(redshift.send(new CancelStatementCommand({ Id: unknownId }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(redshift.send(new ExecuteStatementCommand({ Database: 'dev', Sql: 'SELECT 1' }))).rejects.toMatchObject({
    name: 'ValidationException',
    message: expect.stringContaining('WorkgroupName'),
  });
});
