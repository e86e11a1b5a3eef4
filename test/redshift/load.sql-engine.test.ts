import { explainLoadFailure } from '../../src/activities/redshift/loadFailure';
import { loadStatements } from '../../src/activities/redshift/sql';
import { quoteLiteral } from '../../src/redshift/quoting';
import { loadPipeline } from '../../src/config/load';
import { SqlEngine } from '../../src/local/emulator/sqlEngine';
import { loadInput } from '../../src/shared/activityInputs';
import { stepOf } from '../support/pipelines';

// The load's SQL run on a real SQL engine (PGlite, an embedded PostgreSQL), as one transaction like a Data API
// batch. PostgreSQL cannot COPY from S3, so the COPY is replaced by an INSERT of the rows the source would hold.

const date = '2024-01-15';
const orders = loadPipeline('orders');
// Files that hold the date column, so the load checks each row's date (the sample's Glue output does not).
const sample = loadInput(orders, stepOf(orders, 'load'), date).redshift;
const redshift = { ...sample, copy: { ...sample.copy, columns: undefined } };

// The local Redshift's engine (PGlite in a worker thread): one database in memory, one session.
const engine = new SqlEngine();
const db = { query: (sql: string, params: string[] = []) => engine.query({ name: 'load-sql' }, sql, params) };

interface OrderRow {
  orderId: string;
  orderDate: string | null;
}

beforeAll(async () => {
  await db.query(`CREATE TABLE public.fct_orders (order_id text NOT NULL, order_date date, order_amount numeric(18,2))`);
});

afterAll(() => engine.close());

beforeEach(async () => {
  await db.query('TRUNCATE public.fct_orders');
  await db.query(`INSERT INTO public.fct_orders VALUES ('d14-1', '2024-01-14', 5.00), ('d14-2', '2024-01-14', 6.00)`);
});

type LoadOutcome = { rowsLoaded: number | undefined } | { failure: Error };

/** Runs the date's load with `copied` as what COPY brings from S3; a failure rolls the whole batch back. */
async function load(copied: OrderRow[]): Promise<LoadOutcome> {
  const statements = loadStatements(redshift, date, 'orders');
  const staged = copied.map((row) => `(${quoteLiteral(row.orderId)}, ${row.orderDate ? quoteLiteral(row.orderDate) : 'NULL'}, 10.00)`);
  const sqls = statements.sqls.map((sql) => (sql.startsWith('COPY ') ? `INSERT INTO "etl_staging" VALUES ${staged.join(', ')}` : sql));
  let running = 0;
  await db.query('BEGIN');
  try {
    let rowsLoaded: number | undefined;
    for (const [index, sql] of sqls.entries()) {
      running = index;
      const result = await db.query(sql);
      if (index === statements.insertIndex) rowsLoaded = result.rowCount;
    }
    await db.query('COMMIT');
    return { rowsLoaded };
  } catch (error) {
    await db.query('ROLLBACK');
    const failure = explainLoadFailure({ pipelineName: 'orders', date, redshift }, statements)({ statementId: 'local', index: running, error: String(error) });
    return { failure: failure ?? (error as Error) };
  } finally {
    // Each Data API batch is its own session, so its temporary staging table ends with it.
    await db.query('DISCARD TEMP');
  }
}

async function countRows(day: string): Promise<number> {
  const { rows } = await db.query(`SELECT COUNT(*) FROM public.fct_orders WHERE order_date = $1`, [day]);
  return Number(rows[0][0]);
}

async function orderIds(day: string): Promise<string[]> {
  const { rows } = await db.query(`SELECT order_id FROM public.fct_orders WHERE order_date = $1 ORDER BY order_id`, [day]);
  return rows.map(([orderId]) => orderId!);
}

const firstDelivery: OrderRow[] = [
  { orderId: 'a', orderDate: date },
  { orderId: 'b', orderDate: date },
  { orderId: 'c', orderDate: date },
];

test('loading the same date again replaces its rows and never duplicates them; other dates are untouched', async () => {
  expect(await load(firstDelivery)).toEqual({ rowsLoaded: 3 });
  expect(await load(firstDelivery)).toEqual({ rowsLoaded: 3 });
  expect(await countRows(date)).toBe(3);

  expect(await load(firstDelivery.slice(0, 2))).toEqual({ rowsLoaded: 2 });
  expect(await orderIds(date)).toEqual(['a', 'b']);
  expect(await countRows('2024-01-14')).toBe(2);
});

test.each([
  ['a row of another date', '2024-01-14'],
  ['a row without a date', null],
])('%s fails the load with a clear error and leaves every date as it was', async (_case, orderDate) => {
  await load(firstDelivery);

  const outcome = await load([
    { orderId: 'x', orderDate: date },
    { orderId: 'y', orderDate },
  ]);

  expect(outcome).toEqual({
    failure: expect.objectContaining({
      type: 'RowsOfAnotherDate',
      nonRetryable: true,
      message: expect.stringContaining(
        'Some rows of the COPY source s3://etl-data-lake/processed/orders/order_date=2024-01-15/ have no order_date ' +
          'or one other than 2024-01-15; nothing was loaded',
      ),
    }),
  });
  expect(await orderIds(date)).toEqual(['a', 'b', 'c']);
  expect(await countRows('2024-01-14')).toBe(2);
});
