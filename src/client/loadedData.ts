import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { PipelineConfig } from '../config/schema';
import { quoteIdentifier, quoteLiteral } from '../redshift/quoting';
import { runSql, type SqlValue } from '../redshift/runSql';

/**
 * What a run left in Redshift, as a user would check it: the date's row count in the table, and a row of each
 * view, each with the `etl sql` command that shows more.
 */
export async function loadedDataLines(redshiftData: RedshiftDataClient, pipeline: PipelineConfig, date: string): Promise<string[]> {
  const { redshift } = pipeline;
  const dateRows = `FROM ${redshift.table} WHERE ${quoteIdentifier(redshift.dateColumn)} = ${quoteLiteral(date)}`;
  const count = await runSql(redshiftData, redshift, `SELECT COUNT(*) ${dateRows}`);
  const lines = [
    `${redshift.table}: ${count.rows[0]?.[0] ?? 0} row(s) for ${date}; see them with: etl sql --pipeline ${pipeline.name} "SELECT * ${dateRows}"`,
  ];
  for (const view of pipeline.views) {
    const sample = await runSql(redshiftData, redshift, `SELECT * FROM ${view} LIMIT 1`);
    const row = sample.rows[0];
    const text = row ? sample.columns.map((column, i) => `${column}=${show(row[i])}`).join(' ') : '(no rows)';
    lines.push(`${view}: ${text}`);
  }
  return lines;
}

function show(value: SqlValue): string {
  return value === null ? 'NULL' : String(value);
}
