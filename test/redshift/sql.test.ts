import { loadStatements, quoteIdentifier, quoteLiteral, refreshStatements } from '../../src/activities/redshift/sql';
import { loadPipeline } from '../../src/config/load';

describe('SQL building', () => {
  const { redshift } = loadPipeline('orders');

  test('quotes each part of an identifier', () => {
    expect(quoteIdentifier('public.fct_orders')).toBe('"public"."fct_orders"');
    expect(quoteIdentifier('order_date')).toBe('"order_date"');
    expect(quoteIdentifier('odd"name')).toBe('"odd""name"');
  });

  test('escapes quotes and backslashes in literals', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral("x\\'; DROP TABLE t; --")).toBe("'x\\\\''; DROP TABLE t; --'");
  });

  test('the load deletes the date, then copies its processed files as Parquet', () => {
    expect(loadStatements(redshift, '2024-01-15')).toEqual([
      `DELETE FROM "public"."fct_orders" WHERE "order_date" = '2024-01-15'`,
      `COPY "public"."fct_orders" FROM 's3://etl-data-lake/processed/orders/order_date=2024-01-15/' ` +
        `IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopyRole' FORMAT AS PARQUET`,
    ]);
  });

  test.each([
    ['csv', 'FORMAT AS CSV IGNOREHEADER 1'],
    ['json', "FORMAT AS JSON 'auto'"],
  ] as const)('a %s COPY ends with %s', (format, clause) => {
    const [, copy] = loadStatements({ ...redshift, copy: { ...redshift.copy, format } }, '2024-01-15');
    expect(copy.endsWith(` IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopyRole' ${clause}`)).toBe(true);
  });

  test.each(["2024-01-15' OR '1'='1", '2024-02-30', '15/01/2024'])('rejects the date %s', (date) => {
    expect(() => loadStatements(redshift, date)).toThrow(/is not a valid date: expected YYYY-MM-DD/);
  });

  test('refresh names each view', () => {
    expect(refreshStatements(['analytics.daily_sales', 'analytics.customer_metrics'])).toEqual([
      'REFRESH MATERIALIZED VIEW "analytics"."daily_sales"',
      'REFRESH MATERIALIZED VIEW "analytics"."customer_metrics"',
    ]);
  });
});
