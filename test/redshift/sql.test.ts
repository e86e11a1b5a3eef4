import { appendLedger, loadStatements, refreshStatements } from '../../src/activities/redshift/sql';
import { quoteIdentifier, quoteLiteral } from '../../src/redshift/quoting';
import { loadPipeline } from '../../src/config/load';
import { loadInput } from '../../src/shared/activityInputs';
import { stepOf } from '../support/pipelines';

describe('SQL building', () => {
  const orders = loadPipeline('orders');
  // The load's target and its connection, as the workflow hands them to the load.
  const { redshift } = loadInput(orders, stepOf(orders, 'load'), '2024-01-15');

  test('quotes each part of an identifier', () => {
    expect(quoteIdentifier('public.fct_orders')).toBe('"public"."fct_orders"');
    expect(quoteIdentifier('order_date')).toBe('"order_date"');
    expect(quoteIdentifier('odd"name')).toBe('"odd""name"');
  });

  test('escapes quotes and backslashes in literals', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral("x\\'; DROP TABLE t; --")).toBe("'x\\\\''; DROP TABLE t; --'");
  });

  test("the load stages the COPY source, checks its dates, then replaces the date's rows", () => {
    const load = loadStatements(redshift, '2024-01-15', 'orders');
    expect(load.sqls).toEqual([
      `CREATE TEMP TABLE "etl_staging" (LIKE "public"."fct_orders")`,
      `COPY "etl_staging" ("order_id", "customer_id", "order_amount", "product_id", "created_at", "processed_at") ` +
        `FROM 's3://etl-data-lake/processed/orders/order_date=2024-01-15/' ` +
        `IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopyRole' FORMAT AS PARQUET`,
      // The Glue job's files lie in the date's partition folder and do not hold order_date.
      `UPDATE "etl_staging" SET "order_date" = '2024-01-15'`,
      `SELECT 1 / CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM "etl_staging" ` + `WHERE "order_date" IS NULL OR "order_date" <> '2024-01-15'`,
      `DELETE FROM "public"."fct_orders" WHERE "order_date" = '2024-01-15'`,
      `INSERT INTO "public"."fct_orders" SELECT * FROM "etl_staging"`,
    ]);
    expect(load.sqls[load.dateCheckIndex]).toMatch(/^SELECT 1 \/ CASE/);
    expect(load.sqls[load.insertIndex]).toMatch(/^INSERT INTO/);
  });

  test('with copy.columns, the COPY names them, and supplies the date when the files do not hold it', () => {
    const columns = ['order_id', 'customer_id', 'order_amount'];
    const partitioned = loadStatements({ ...redshift, copy: { ...redshift.copy, columns } }, '2024-01-15', 'orders').sqls;
    expect(partitioned[1]).toMatch(/^COPY "etl_staging" \("order_id", "customer_id", "order_amount"\) FROM 's3:/);
    expect(partitioned[2]).toBe(`UPDATE "etl_staging" SET "order_date" = '2024-01-15'`);
    expect(partitioned[3]).toMatch(/^SELECT 1 \/ CASE/);

    const withDate = loadStatements({ ...redshift, copy: { ...redshift.copy, columns: [...columns, 'order_date'] } }, '2024-01-15', 'orders');
    expect(withDate.sqls.some((sql) => sql.startsWith('UPDATE'))).toBe(false);
    expect(withDate.sqls[withDate.dateCheckIndex]).toMatch(/^SELECT 1 \/ CASE/);
  });

  const staged = [
    `CREATE TEMP TABLE "etl_staging" (LIKE "public"."fct_orders")`,
    expect.stringMatching(/^COPY "etl_staging" /),
    `UPDATE "etl_staging" SET "order_date" = '2024-01-15'`,
  ];
  const dateCheck = `SELECT 1 / CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM "etl_staging" WHERE "order_date" IS NULL OR "order_date" <> '2024-01-15'`;

  test('upsert checks that each staged key is there once, then replaces the rows with those keys', () => {
    const load = loadStatements({ ...redshift, mode: 'upsert', keyColumns: ['order_id', 'product_id'] }, '2024-01-15', 'orders');
    expect(load.sqls).toEqual([
      ...staged,
      dateCheck,
      `SELECT 1 / CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM (SELECT 1 FROM "etl_staging" GROUP BY "order_id", "product_id" ` +
        `HAVING COUNT(*) > 1 OR "order_id" IS NULL OR "product_id" IS NULL) AS "bad_keys"`,
      `DELETE FROM "public"."fct_orders" USING "etl_staging" WHERE "public"."fct_orders"."order_id" = "etl_staging"."order_id" ` +
        `AND "public"."fct_orders"."product_id" = "etl_staging"."product_id"`,
      `INSERT INTO "public"."fct_orders" SELECT * FROM "etl_staging"`,
    ]);
    expect(load).toMatchObject({ mode: 'upsert', keyCheckIndex: 4, deleteIndex: 5, insertIndex: 6 });
  });

  test('append first looks the date up in its ledger, deletes nothing, and records the date with its rows', () => {
    const load = loadStatements({ ...redshift, mode: 'append' }, '2024-01-15', 'orders');
    const entry = `pipeline_name = 'orders' AND table_name = 'public.fct_orders' AND load_date = '2024-01-15'`;
    expect(load.sqls).toEqual([
      `CREATE TABLE IF NOT EXISTS "public"."etl_appended_dates" (pipeline_name VARCHAR(256) NOT NULL, table_name VARCHAR(256) NOT NULL, ` +
        `load_date DATE NOT NULL, appended_at TIMESTAMP NOT NULL)`,
      `SELECT 1 / CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM "public"."etl_appended_dates" WHERE ${entry}`,
      ...staged,
      dateCheck,
      `INSERT INTO "public"."fct_orders" SELECT * FROM "etl_staging"`,
      `INSERT INTO "public"."etl_appended_dates" VALUES ('orders', 'public.fct_orders', '2024-01-15', GETDATE())`,
    ]);
    expect(load).toMatchObject({ mode: 'append', ledgerCheckIndex: 1, deleteIndex: undefined, insertIndex: 6 });
  });

  test('the ledger lies in the schema of the table, or on the search path with it', () => {
    expect(appendLedger('analytics.events')).toBe('analytics.etl_appended_dates');
    expect(appendLedger('events')).toBe('etl_appended_dates');
  });

  test('an input recorded before load modes replaces the date', () => {
    const { mode: _none, ...recorded } = redshift;
    expect(loadStatements(recorded, '2024-01-15', 'orders')).toMatchObject({ mode: 'replace-date', deleteIndex: 4 });
  });

  test.each([
    ['csv', 'FORMAT AS CSV IGNOREHEADER 1'],
    ['json', "FORMAT AS JSON 'auto'"],
  ] as const)('a %s COPY ends with %s', (format, clause) => {
    const { sqls } = loadStatements({ ...redshift, copy: { ...redshift.copy, format } }, '2024-01-15', 'orders');
    const copy = sqls.find((sql) => sql.startsWith('COPY '));
    expect(copy?.endsWith(` IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopyRole' ${clause}`)).toBe(true);
  });

  test.each(['s3://etl-data-lake/processed/orders/order_date={{date}}', 's3://etl-data-lake/'])(
    'refuses the COPY source %s, which is not a folder inside a bucket',
    (source) => {
      expect(() => loadStatements({ ...redshift, copy: { ...redshift.copy, source } }, '2024-01-15', 'orders')).toThrow(
        /is not a folder inside a bucket: end it with "\/"/,
      );
    },
  );

  test.each(["2024-01-15' OR '1'='1", '2024-02-30', '15/01/2024'])('rejects the date %s', (date) => {
    expect(() => loadStatements(redshift, date, 'orders')).toThrow(/is not a valid date: expected YYYY-MM-DD/);
  });

  test('refresh names each view', () => {
    expect(refreshStatements(['analytics.daily_sales', 'analytics.customer_metrics'])).toEqual([
      'REFRESH MATERIALIZED VIEW "analytics"."daily_sales"',
      'REFRESH MATERIALIZED VIEW "analytics"."customer_metrics"',
    ]);
  });
});
