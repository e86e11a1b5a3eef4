import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { PipelineConfig } from '../../../config/schema';
import { quoteIdentifier, quoteLiteral } from '../../../redshift/quoting';
import { runSql, type SqlValue } from '../../../redshift/runSql';

/**
 * What a run left in Redshift, as a user would check it: the date's row count in the table, and a row of each
 * view, each with the `etl sql` command that shows more.
 */
export async function loadedDataLines(redshiftData: RedshiftDataClient, pipeline: PipelineConfig, date: string): Promise<string[]> {
  const { redshift } = pipeline;
  const count = await runSql(
    redshiftData,
    redshift,
    `SELECT COUNT(*) FROM ${quoteIdentifier(redshift.table)} WHERE ${quoteIdentifier(redshift.dateColumn)} = ${quoteLiteral(date)}`,
  );
  // For a person to copy: plain SQL names (the config allows no others) and the checked date.
  const show = `SELECT * FROM ${redshift.table} WHERE ${redshift.dateColumn} = '${date}'`;
  const lines = [`${redshift.table}: ${count.rows[0]?.[0] ?? 0} row(s) for ${date}; see them with: etl sql --pipeline ${pipeline.name} "${show}"`];
  for (const view of pipeline.views) {
    // The view's row for the date when it has the date column (a daily view), else its first row.
    const { columns } = await runSql(redshiftData, redshift, `SELECT * FROM ${quoteIdentifier(view)} LIMIT 0`);
    const forDate = columns.includes(redshift.dateColumn) ? ` WHERE ${quoteIdentifier(redshift.dateColumn)} = ${quoteLiteral(date)}` : '';
    const sample = await runSql(redshiftData, redshift, `SELECT * FROM ${quoteIdentifier(view)}${forDate} LIMIT 1`);
    const row = sample.rows[0];
    const text = row ? sample.columns.map((column, i) => `${column}=${valueText(row[i])}`).join(' ') : '(no rows)';
    lines.push(`${view}: ${text}`);
  }
  return lines;
}

function valueText(value: SqlValue): string {
  return value === null ? 'NULL' : String(value);
}
