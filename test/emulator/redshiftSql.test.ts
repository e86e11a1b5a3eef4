import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
  type Field,
  type SqlParameter,
} from '@aws-sdk/client-redshift-data';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { loadStatements, refreshStatements } from '../../src/activities/redshift/sql';
import { copySource } from '../../src/activities/redshift/copySource';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';
import { sqlStatements } from '../../src/redshift/runSql';
import { loadInput, redshiftOf } from '../../src/shared/activityInputs';
import { startLocalAws, type LocalAws } from '../support/aws';
import { stepOf, testPipeline } from '../support/pipelines';
import { closeParquetWriter, parquetFile } from './parquetFixtures';

// The Redshift Data API on the emulator's real SQL engine: every effect is counted through the Data API.

const target = { WorkgroupName: 'analytics', Database: 'dev' };
const bucket = 'etl-redshift-tests';
const role = "IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopy'";

let aws: LocalAws;
let emulator: RunningEmulator;
let redshift: RedshiftDataClient;
let control: EmulatorControl;

beforeAll(async () => {
  aws = await startLocalAws();
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  emulator = await startEmulator({
    s3: { endpoint: aws.moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    redshift: { resultPageRows: 2 },
  });
  redshift = new RedshiftDataClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  control = new EmulatorControl(emulator.url);
});

afterAll(async () => {
  redshift?.destroy();
  await emulator?.close();
  await aws?.stop();
  await closeParquetWriter();
});

beforeEach(() => control.reset());

async function pollUntilDone(id: string): Promise<{ statuses: string[]; statement: DescribeStatementResponse }> {
  const statuses: string[] = [];
  for (let poll = 0; poll < 20; poll++) {
    const statement = await redshift.send(new DescribeStatementCommand({ Id: id }));
    statuses.push(statement.Status!);
    if (['FINISHED', 'FAILED', 'ABORTED'].includes(statement.Status!)) return { statuses, statement };
  }
  throw new Error(`statement ${id} did not end; statuses seen: ${statuses.join(', ')}`);
}

/** Runs one statement (a string) or a batch (a list) and waits for it to end. */
async function run(sql: string | string[], parameters?: SqlParameter[]): Promise<DescribeStatementResponse> {
  const { Id } = Array.isArray(sql)
    ? await redshift.send(new BatchExecuteStatementCommand({ ...target, Sqls: sql, Parameters: parameters }))
    : await redshift.send(new ExecuteStatementCommand({ ...target, Sql: sql, Parameters: parameters }));
  return (await pollUntilDone(Id!)).statement;
}

/** Runs statements that must succeed. */
async function succeed(...sqls: string[]): Promise<void> {
  for (const sql of sqls) {
    const statement = await run(sql);
    if (statement.Status !== 'FINISHED') throw new Error(`${sql} ended ${statement.Status}: ${statement.Error}`);
  }
}

/** Every row of a query, through GetStatementResult's pages. */
async function rowsOf(sql: string, parameters?: SqlParameter[]): Promise<Field[][]> {
  const statement = await run(sql, parameters);
  expect(statement).toMatchObject({ Status: 'FINISHED', HasResultSet: true });
  const records: Field[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await redshift.send(new GetStatementResultCommand({ Id: statement.Id, NextToken: nextToken }));
    records.push(...page.Records!);
    nextToken = page.NextToken;
  } while (nextToken);
  return records;
}

async function count(table: string): Promise<number> {
  const [[field]] = await rowsOf(`SELECT COUNT(*) FROM ${table}`);
  return field.longValue!;
}

async function putObject(key: string, body: string | Uint8Array): Promise<void> {
  await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

const ordersTable = `CREATE TABLE public.orders (
  order_id VARCHAR(50) NOT NULL ENCODE zstd,
  customer_id VARCHAR(50) DISTKEY,
  order_date DATE SORTKEY,
  amount DECIMAL(18,2)
)`;

describe('transactions', () => {
  test('a batch is one transaction: a failing statement rolls back those before it, which report FINISHED; those after it are ABORTED', async () => {
    await succeed(ordersTable, "INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-14', 5.00)");

    const statement = await run([
      "DELETE FROM public.orders WHERE order_date = '2024-01-14'",
      "INSERT INTO public.orders VALUES ('b', 'c1', '2024-01-15', 6.00)",
      'SELECT * FROM public.missing',
      "INSERT INTO public.orders VALUES ('c', 'c1', '2024-01-15', 7.00)",
    ]);

    expect(statement).toMatchObject({ Status: 'FAILED', Error: 'ERROR: relation "public.missing" does not exist' });
    expect(statement.SubStatements!.map((sub) => sub.Status)).toEqual(['FINISHED', 'FINISHED', 'FAILED', 'ABORTED']);
    expect(await rowsOf('SELECT order_id FROM public.orders')).toEqual([[{ stringValue: 'a' }]]);
  });

  test('a batch that succeeds commits every statement, and reports the rows each one changed', async () => {
    await succeed(ordersTable, "INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-14', 5.00), ('b', 'c2', '2024-01-14', 6.00)");

    const statement = await run(
      [
        'DELETE FROM public.orders WHERE order_date = :run_date',
        "INSERT INTO public.orders VALUES ('c', 'c1', :run_date, 7.00)",
        'SELECT order_id FROM public.orders',
      ],
      [{ name: 'run_date', value: '2024-01-14' }],
    );

    expect(statement.Status).toBe('FINISHED');
    expect(statement.SubStatements!.map((sub) => [sub.ResultRows, sub.HasResultSet])).toEqual([
      [2, false],
      [1, false],
      [1, true],
    ]);
    expect(await count('public.orders')).toBe(1);
  });

  test('parameters are bound by name, wherever they appear and however often', async () => {
    await succeed(ordersTable, "INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-14', 5.00), ('b', 'c2', '2024-01-15', 6.00)");

    const rows = await rowsOf(
      "SELECT order_id, ':not_a_parameter', CAST(:day AS DATE)::text FROM public.orders WHERE order_date = :day OR customer_id = :customer ORDER BY 1",
      [
        { name: 'day', value: '2024-01-15' },
        { name: 'customer', value: 'c1' },
      ],
    );

    expect(rows).toEqual([
      [{ stringValue: 'a' }, { stringValue: ':not_a_parameter' }, { stringValue: '2024-01-15' }],
      [{ stringValue: 'b' }, { stringValue: ':not_a_parameter' }, { stringValue: '2024-01-15' }],
    ]);
    await expect(run('SELECT :missing')).resolves.toMatchObject({ Status: 'FAILED', Error: expect.stringContaining(':missing') });
  });

  test("a batch's parameters are shared by its statements; one that none of them uses is refused, as by the Data API", async () => {
    await succeed(ordersTable);
    const day = [{ name: 'day', value: '2024-01-15' }];

    const batch = await run(
      ["INSERT INTO public.orders VALUES ('a', 'c1', :day, 5.00)", 'DELETE FROM public.orders WHERE order_date <> :day', 'ANALYZE public.orders'],
      day,
    );

    expect(batch.Status).toBe('FINISHED');
    expect(await rowsOf('SELECT order_date::text FROM public.orders')).toEqual([[{ stringValue: '2024-01-15' }]]);
    await expect(run(["SELECT ':day'", 'SELECT 1'], day)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Parameter :day is not used by any of the SQL statements of the batch.',
    });
  });

  test("GETDATE() is Redshift's current time", async () => {
    const [[field]] = await rowsOf('SELECT GETDATE() > CAST(:earlier AS TIMESTAMP)', [{ name: 'earlier', value: '2024-01-15 00:00:00' }]);
    expect(field).toEqual({ booleanValue: true });
  });

  test('a temporary table lives as long as its statement: within a batch it works, the next statement does not see it', async () => {
    await succeed(ordersTable);

    const batch = await run([
      'CREATE TEMP TABLE staging (LIKE public.orders)',
      "INSERT INTO staging VALUES ('a', 'c1', '2024-01-15', 5.00)",
      'INSERT INTO public.orders SELECT * FROM staging',
    ]);

    expect(batch.Status).toBe('FINISHED');
    expect(await count('public.orders')).toBe(1);
    await expect(run('SELECT * FROM staging')).resolves.toMatchObject({ Error: 'ERROR: relation "staging" does not exist' });
  });
});

describe('results', () => {
  test('GetStatementResult returns the rows in the Data API field format, with column metadata, page by page', async () => {
    await succeed(
      'CREATE TABLE typed (i INT, b BIGINT, n NUMERIC(18,2), f DOUBLE PRECISION, ok BOOLEAN, s VARCHAR(10), d DATE, t TIMESTAMP)',
      "INSERT INTO typed VALUES (1, 9007199254740991, 19.99, 0.5, true, 'x', '2024-01-15', '2024-01-15 10:30:00'), (2, NULL, NULL, NULL, false, NULL, NULL, NULL), (3, 0, 0, 0, NULL, '', NULL, NULL)",
    );

    const statement = await run('SELECT * FROM typed ORDER BY i');
    const firstPage = await redshift.send(new GetStatementResultCommand({ Id: statement.Id }));
    const secondPage = await redshift.send(new GetStatementResultCommand({ Id: statement.Id, NextToken: firstPage.NextToken }));

    expect(statement).toMatchObject({ HasResultSet: true, ResultRows: 3, ResultSize: expect.any(Number) });
    expect(firstPage.TotalNumRows).toBe(3);
    expect(firstPage.Records).toEqual([
      [
        { longValue: 1 },
        { longValue: 9007199254740991 },
        { stringValue: '19.99' },
        { doubleValue: 0.5 },
        { booleanValue: true },
        { stringValue: 'x' },
        { stringValue: '2024-01-15' },
        { stringValue: '2024-01-15 10:30:00' },
      ],
      [{ longValue: 2 }, { isNull: true }, { isNull: true }, { isNull: true }, { booleanValue: false }, { isNull: true }, { isNull: true }, { isNull: true }],
    ]);
    expect(firstPage.ColumnMetadata!.map((column) => [column.name, column.typeName])).toEqual([
      ['i', 'int4'],
      ['b', 'int8'],
      ['n', 'numeric'],
      ['f', 'float8'],
      ['ok', 'bool'],
      ['s', 'varchar'],
      ['d', 'date'],
      ['t', 'timestamp'],
    ]);
    expect(secondPage.Records).toEqual([
      [{ longValue: 3 }, { longValue: 0 }, { stringValue: '0.00' }, { doubleValue: 0 }, { isNull: true }, { stringValue: '' }, { isNull: true }, { isNull: true }],
    ]);
    expect(secondPage.NextToken).toBeUndefined();
  });

  test('a statement without a result set has no result to fetch', async () => {
    const statement = await run('CREATE TABLE empty_one (a INT)');

    expect(statement).toMatchObject({ Status: 'FINISHED', HasResultSet: false });
    await expect(redshift.send(new GetStatementResultCommand({ Id: statement.Id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringContaining('Query does not have result'),
    });
  });
});

describe('the Data API states', () => {
  test('a delay rule holds the statement in PICKED and STARTED before it runs for real', async () => {
    await succeed(ordersTable);
    await control.setRedshiftRules([{ match: '', pollsUntilDone: 3 }]);
    const { Id } = await redshift.send(new ExecuteStatementCommand({ ...target, Sql: "INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-15', 5.00)" }));

    const { statuses, statement } = await pollUntilDone(Id!);

    expect(statuses).toEqual(['PICKED', 'STARTED', 'FINISHED']);
    expect(statement.ResultRows).toBe(1);
    await control.setRedshiftRules([]);
    expect(await count('public.orders')).toBe(1);
  });

  test('CancelStatement aborts a statement not yet picked up: nothing of it is committed', async () => {
    await succeed(ordersTable);
    await control.setRedshiftRules([{ match: '^INSERT', pollsUntilDone: 5 }]);
    const { Id } = await redshift.send(new BatchExecuteStatementCommand({ ...target, Sqls: ["INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-15', 5.00)"] }));
    await redshift.send(new DescribeStatementCommand({ Id }));

    await expect(redshift.send(new CancelStatementCommand({ Id }))).resolves.toMatchObject({ Status: true });

    const { statement } = await pollUntilDone(Id!);
    expect(statement.Status).toBe('ABORTED');
    expect(statement.SubStatements![0].Status).toBe('ABORTED');
    expect(await count('public.orders')).toBe(0);
    await expect(redshift.send(new CancelStatementCommand({ Id }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('a repeated ClientToken returns the first statement, which runs once', async () => {
    await succeed(ordersTable);
    const submit = () =>
      redshift.send(
        new ExecuteStatementCommand({ ...target, Sql: "INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-15', 5.00)", ClientToken: 'load-2024-01-15' }),
      );

    const first = await submit();
    await pollUntilDone(first.Id!);
    const retry = await submit();
    await pollUntilDone(retry.Id!);

    expect(retry.Id).toBe(first.Id);
    expect(await count('public.orders')).toBe(1);
  });

  test('a scripted failure overrides the statement: it fails with the scripted error and changes nothing', async () => {
    await succeed(ordersTable, "INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-15', 5.00)");
    await control.setRedshiftRules([{ match: '^DELETE', finalState: 'FAILED', error: 'ERROR: permission denied for relation orders' }]);

    const statement = await run(['DELETE FROM public.orders', 'SELECT 1']);

    expect(statement).toMatchObject({ Status: 'FAILED', Error: 'ERROR: permission denied for relation orders' });
    expect(statement.SubStatements!.map((sub) => sub.Status)).toEqual(['FAILED', 'ABORTED']);
    await control.setRedshiftRules([]);
    expect(await count('public.orders')).toBe(1);
  });
});

describe('COPY from S3', () => {
  test('CSV with IGNOREHEADER and a DELIMITER: fields by position, empty fields NULL (or an empty VARCHAR), rows counted', async () => {
    await succeed(ordersTable);
    await putObject('csv/2024-01-15/part-0.csv', 'order_id;customer_id;order_date;amount\na;c1;2024-01-15;5.00\n"b;2";;2024-01-15;\n');
    await putObject('csv/2024-01-15/part-1.csv', 'order_id;customer_id;order_date;amount\nc;c3;2024-01-15;7.50\n');

    const statement = await run(`COPY public.orders FROM 's3://${bucket}/csv/2024-01-15/' ${role} FORMAT AS CSV IGNOREHEADER 1 DELIMITER ';'`);

    expect(statement).toMatchObject({ Status: 'FINISHED', ResultRows: 3 });
    expect(await rowsOf('SELECT order_id, customer_id, amount FROM public.orders ORDER BY order_id')).toEqual([
      [{ stringValue: 'a' }, { stringValue: 'c1' }, { stringValue: '5.00' }],
      [{ stringValue: 'b;2' }, { stringValue: '' }, { isNull: true }],
      [{ stringValue: 'c' }, { stringValue: 'c3' }, { stringValue: '7.50' }],
    ]);
  });

  test("JSON 'auto' with GZIP: keys name the columns, missing keys are NULL", async () => {
    await succeed(ordersTable);
    const lines = [
      { order_id: 'a', customer_id: 'c1', order_date: '2024-01-15', amount: 5 },
      { amount: 6.25, order_id: 'b', order_date: '2024-01-15', note: 'not a column' },
    ];
    await putObject('json/2024-01-15/orders.json.gz', gzipSync(lines.map((line) => JSON.stringify(line)).join('\n')));

    const statement = await run(`COPY public.orders FROM 's3://${bucket}/json/2024-01-15/' ${role} FORMAT AS JSON 'auto' GZIP`);

    expect(statement).toMatchObject({ Status: 'FINISHED', ResultRows: 2 });
    expect(await rowsOf('SELECT order_id, customer_id, amount FROM public.orders ORDER BY order_id')).toEqual([
      [{ stringValue: 'a' }, { stringValue: 'c1' }, { stringValue: '5.00' }],
      [{ stringValue: 'b' }, { isNull: true }, { stringValue: '6.25' }],
    ]);
  });

  test('Parquet loads by position into the column list, the other columns left NULL', async () => {
    await succeed(ordersTable);
    await putObject(
      'parquet/order_date=2024-01-15/part-0.parquet',
      await parquetFile([
        { name: 'id', data: ['a', 'b'], type: 'STRING' },
        { name: 'customer', data: ['c1', null], type: 'STRING' },
        { name: 'amount', data: [5.5, 1234567.89], element: { type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2 } },
      ]),
    );

    const statement = await run(`COPY public.orders (order_id, customer_id, amount) FROM 's3://${bucket}/parquet/order_date=2024-01-15/' ${role} FORMAT AS PARQUET`);

    expect(statement).toMatchObject({ Status: 'FINISHED', ResultRows: 2 });
    expect(await rowsOf('SELECT order_id, customer_id, order_date, amount FROM public.orders ORDER BY order_id')).toEqual([
      [{ stringValue: 'a' }, { stringValue: 'c1' }, { isNull: true }, { stringValue: '5.50' }],
      [{ stringValue: 'b' }, { isNull: true }, { isNull: true }, { stringValue: '1234567.89' }],
    ]);
  });

  test('Parquet dates, timestamps, integers and booleans load into their columns', async () => {
    await succeed('CREATE TABLE events (id BIGINT, day DATE, at TIMESTAMP, ok BOOLEAN, score DOUBLE PRECISION)');
    await putObject(
      'events/part-0.parquet',
      await parquetFile([
        { name: 'id', data: [1n, 2n], type: 'INT64' },
        { name: 'day', data: [new Date('2024-01-15T00:00:00Z'), null], element: { type: 'INT32', converted_type: 'DATE' } },
        { name: 'at', data: [new Date('2024-01-15T10:30:00.250Z'), null], type: 'TIMESTAMP' },
        { name: 'ok', data: [true, false], type: 'BOOLEAN' },
        { name: 'score', data: [0.25, null], type: 'DOUBLE' },
      ]),
    );

    await succeed(`COPY events FROM 's3://${bucket}/events/' ${role} FORMAT AS PARQUET`);

    expect(await rowsOf('SELECT id, day, at, ok, score FROM events ORDER BY id')).toEqual([
      [{ longValue: 1 }, { stringValue: '2024-01-15' }, { stringValue: '2024-01-15 10:30:00.25' }, { booleanValue: true }, { doubleValue: 0.25 }],
      [{ longValue: 2 }, { isNull: true }, { isNull: true }, { booleanValue: false }, { isNull: true }],
    ]);
  });

  test('a Parquet file whose columns do not fit fails the COPY and rolls its batch back', async () => {
    await succeed(ordersTable, "INSERT INTO public.orders VALUES ('kept', 'c1', '2024-01-15', 5.00)");
    await putObject('bad-count/part-0.parquet', await parquetFile([{ name: 'order_id', data: ['a'], type: 'STRING' }]));
    await putObject(
      'bad-type/part-0.parquet',
      await parquetFile([
        { name: 'order_id', data: ['a'], type: 'STRING' },
        { name: 'customer_id', data: ['c1'], type: 'STRING' },
        { name: 'order_date', data: ['2024-01-15'], type: 'STRING' },
        { name: 'amount', data: ['5.00'], type: 'STRING' },
      ]),
    );
    const replaceWith = (prefix: string) => ['DELETE FROM public.orders', `COPY public.orders FROM 's3://${bucket}/${prefix}/' ${role} FORMAT AS PARQUET`];

    const wrongCount = await run(replaceWith('bad-count'));
    const wrongType = await run(replaceWith('bad-type'));

    expect(wrongCount).toMatchObject({
      Status: 'FAILED',
      Error: `ERROR: Spectrum Scan Error: Unmatched number of columns between table and file. Table columns: 4, Data columns: 1, File name: s3://${bucket}/bad-count/part-0.parquet`,
    });
    expect(wrongType).toMatchObject({
      Status: 'FAILED',
      Error: expect.stringContaining(`File 's3://${bucket}/bad-type/part-0.parquet' has an incompatible Parquet schema for column 'order_date'`),
    });
    expect(await rowsOf('SELECT order_id FROM public.orders')).toEqual([[{ stringValue: 'kept' }]]);
  });

  test('a prefix with no objects, or a file that does not fit the table, fails the COPY with what Redshift says', async () => {
    await succeed(ordersTable);
    await putObject('short/part-0.csv', 'a,c1,2024-01-15\n');
    await putObject('not-a-number/part-0.csv', 'a,c1,2024-01-15,lots\n');

    const missing = await run(`COPY public.orders FROM 's3://${bucket}/nothing-here/' ${role} CSV`);
    const short = await run(`COPY public.orders FROM 's3://${bucket}/short/' ${role} CSV`);
    const notANumber = await run(`COPY public.orders FROM 's3://${bucket}/not-a-number/' ${role} CSV`);
    const noTable = await run(`COPY public.nowhere FROM 's3://${bucket}/short/' ${role} CSV`);

    expect(missing.Error).toBe(`ERROR: The specified S3 prefix 'nothing-here/' does not exist (bucket ${bucket}, COPY s3://${bucket}/nothing-here/).`);
    expect(short.Error).toBe(`ERROR: Load into table 'orders' failed: s3://${bucket}/short/part-0.csv: line 1 has 3 field(s), the table takes 4.`);
    expect(notANumber.Error).toBe(`ERROR: Load into table 'orders' failed: s3://${bucket}/not-a-number/part-0.csv: invalid input syntax for type numeric: "lots".`);
    expect(noTable.Error).toBe('ERROR: relation "public.nowhere" does not exist');
    expect(await count('public.orders')).toBe(0);
  });
});

describe('the Redshift dialect', () => {
  test('DISTKEY, SORTKEY, DISTSTYLE and ENCODE are accepted and ignored, at column and table level', async () => {
    await succeed(
      ordersTable,
      `CREATE TABLE t2 (a INT ENCODE az64, b VARCHAR(MAX), sortkey INT, DISTKEY (a), COMPOUND SORTKEY (a, b)) DISTSTYLE KEY ENCODE AUTO BACKUP NO`,
      'CREATE TABLE t3 (a INT, b INT) DISTSTYLE EVEN INTERLEAVED SORTKEY (a, b)',
      'CREATE TABLE t4 DISTKEY (order_id) SORTKEY (order_date) AS SELECT * FROM public.orders',
    );

    expect(
      await rowsOf("SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN ('t2', 't3') ORDER BY table_name, ordinal_position"),
    ).toEqual(
      [
        ['t2', 'a'],
        ['t2', 'b'],
        ['t2', 'sortkey'],
        ['t3', 'a'],
        ['t3', 'b'],
      ].map((row) => row.map((value) => ({ stringValue: value }))),
    );
    expect(await count('t4')).toBe(0);
  });

  test('a materialized view is real: REFRESH MATERIALIZED VIEW brings in the rows loaded since', async () => {
    await succeed(
      ordersTable,
      'CREATE SCHEMA analytics',
      'CREATE MATERIALIZED VIEW analytics.daily_sales AUTO REFRESH NO AS SELECT order_date, COUNT(*) AS orders FROM public.orders GROUP BY order_date',
      "INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-15', 5.00)",
    );
    expect(await count('analytics.daily_sales')).toBe(0);

    await succeed('REFRESH MATERIALIZED VIEW analytics.daily_sales');

    expect(await rowsOf('SELECT order_date, orders FROM analytics.daily_sales')).toEqual([[{ stringValue: '2024-01-15' }, { longValue: 1 }]]);
  });

  test('TRUNCATE runs on its own but fails inside a batch, which it would commit on Redshift', async () => {
    await succeed(ordersTable, "INSERT INTO public.orders VALUES ('a', 'c1', '2024-01-15', 5.00)");

    const inBatch = await run(["INSERT INTO public.orders VALUES ('b', 'c1', '2024-01-15', 5.00)", 'TRUNCATE public.orders']);
    expect(inBatch).toMatchObject({ Status: 'FAILED', Error: expect.stringContaining('TRUNCATE cannot run inside a transaction block') });
    expect(await count('public.orders')).toBe(1);

    await succeed('TRUNCATE public.orders');
    expect(await count('public.orders')).toBe(0);
  });

  test('ANALYZE and VACUUM succeed and do nothing; UNLOAD and ANALYZE COMPRESSION fail, saying the local Redshift cannot run them', async () => {
    await succeed(ordersTable, 'ANALYZE public.orders', 'VACUUM FULL public.orders TO 100 PERCENT');

    const unload = await run(`UNLOAD ('SELECT * FROM public.orders') TO 's3://${bucket}/unload/' ${role}`);
    const compression = await run('ANALYZE COMPRESSION public.orders');

    expect(unload).toMatchObject({ Status: 'FAILED', Error: expect.stringMatching(/^ERROR: UNLOAD is not supported by the local Redshift/) });
    expect(compression).toMatchObject({ Status: 'FAILED', Error: expect.stringMatching(/^ERROR: ANALYZE COMPRESSION is not supported/) });
  });
});

test('without a data folder the databases live in memory: reset drops them', async () => {
  await succeed(ordersTable);

  await control.reset();

  await expect(run('SELECT * FROM public.orders')).resolves.toMatchObject({ Error: 'ERROR: relation "public.orders" does not exist' });
});

describe("the sample pipeline's own SQL", () => {
  const pipeline = testPipeline();
  const date = '2024-01-15';
  const { redshift } = loadInput(pipeline, stepOf(pipeline, 'load'), date);

  test('its DDL, load and view refresh run for real: the date is loaded once however often it runs', async () => {
    for (const sql of sqlStatements(readFileSync(redshiftOf(pipeline).ddl!, 'utf8'))) await succeed(sql);
    const { bucket: lake, prefix } = copySource(redshift, date);
    await aws.s3.send(new CreateBucketCommand({ Bucket: lake }));
    const timestamps = [new Date('2024-01-15T09:00:00Z'), new Date('2024-01-15T10:00:00Z')];
    // What the Glue job writes: the columns of the load step's copy.columns, in order, without the partition's date.
    await aws.s3.send(
      new PutObjectCommand({
        Bucket: lake,
        Key: `${prefix}part-0.parquet`,
        Body: await parquetFile([
          { name: 'order_id', data: ['O-1', 'O-2'], type: 'STRING' },
          { name: 'customer_id', data: ['C-1', 'C-1'], type: 'STRING' },
          { name: 'order_amount', data: [10.5, 4.25], element: { type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2 } },
          { name: 'product_id', data: ['P-1', 'P-2'], type: 'STRING' },
          { name: 'created_at', data: timestamps, type: 'TIMESTAMP' },
          { name: 'processed_at', data: timestamps, type: 'TIMESTAMP' },
        ]),
      }),
    );
    const load = loadStatements(redshift, date, 'orders');

    const first = await run(load.sqls);
    const again = await run(load.sqls);
    await succeed(...refreshStatements(stepOf(pipeline, 'refresh').views));

    expect([first, again].map((batch) => [batch.Status, batch.Error, batch.SubStatements![load.insertIndex].ResultRows])).toEqual([
      ['FINISHED', undefined, 2],
      ['FINISHED', undefined, 2],
    ]);
    expect(await rowsOf(`SELECT order_id, order_date, order_amount FROM ${redshift.table} ORDER BY order_id`)).toEqual([
      [{ stringValue: 'O-1' }, { stringValue: date }, { stringValue: '10.50' }],
      [{ stringValue: 'O-2' }, { stringValue: date }, { stringValue: '4.25' }],
    ]);
    expect(await rowsOf('SELECT order_date, orders, revenue FROM analytics.daily_sales')).toEqual([
      [{ stringValue: date }, { longValue: 2 }, { stringValue: '14.75' }],
    ]);
  });
});
