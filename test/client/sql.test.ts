import { readFileSync } from 'node:fs';
import { resultLines } from '../../src/client/commands/sql/output';
import { loadPipeline } from '../../src/config/load';
import { sqlStatements } from '../../src/redshift/runSql';
import { redshiftOf } from '../../src/shared/activityInputs';

test('the sample DDL file splits into its four statements, comments and all', () => {
  const statements = sqlStatements(readFileSync(redshiftOf(loadPipeline('orders')).ddl!, 'utf8'));
  expect(statements.map((sql) => sql.split(/\s+/).slice(0, 4).join(' '))).toEqual([
    'CREATE TABLE IF NOT',
    'CREATE SCHEMA IF NOT',
    'CREATE MATERIALIZED VIEW analytics.daily_sales',
    'CREATE MATERIALIZED VIEW analytics.customer_metrics',
  ]);
  expect(statements[0]).toContain('customer_id VARCHAR(50) DISTKEY,     -- distribute by the join key');
});

test('a semicolon inside a line does not end a statement', () => {
  expect(sqlStatements("SELECT 'a;b';\n-- a comment;\nSELECT 2 ;  -- done\n")).toEqual(["SELECT 'a;b'", 'SELECT 2']);
});

test('rows print as an aligned table with NULLs and a count; other statements say what they changed', () => {
  const lines = resultLines({
    columns: ['order_date', 'orders', 'revenue'],
    rows: [
      ['2024-01-15', 4, '123.45'],
      ['2024-01-16', 12, null],
    ],
  });
  expect(lines).toEqual(['order_date  orders  revenue', '2024-01-15  4       123.45', '2024-01-16  12      NULL', '(2 row(s))']);
  expect(resultLines({ columns: [], rows: [], rowsAffected: 3 })).toEqual(['OK, 3 row(s) affected']);
});
