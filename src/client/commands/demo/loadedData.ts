import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { PipelineConfig } from '../../../config/schema';
import { redshiftOf } from '../../../shared/activityInputs';
import { stepsOfKind } from '../../../shared/pipelineSteps';
import { quoteIdentifier, quoteLiteral } from '../../../redshift/quoting';
import { runSql, type SqlValue } from '../../../redshift/runSql';

/**
 * What a run left in Redshift, as a user would check it: the date's row count in each loaded table, and a row of
 * each view, each with the `etl sql` command that shows more.
 */
export async function loadedDataLines(redshiftData: RedshiftDataClient, pipeline: PipelineConfig, date: string): Promise<string[]> {
  const loads = stepsOfKind(pipeline, 'load');
  if (loads.length === 0) return [];
  const redshift = redshiftOf(pipeline);
  const lines: string[] = [];
  for (const { table, dateColumn } of loads) {
    const count = await runSql(
      redshiftData,
      redshift,
      `SELECT COUNT(*) FROM ${quoteIdentifier(table)} WHERE ${quoteIdentifier(dateColumn)} = ${quoteLiteral(date)}`,
    );
    // For a person to copy: plain SQL names (the config allows no others) and the checked date.
    const show = `SELECT * FROM ${table} WHERE ${dateColumn} = '${date}'`;
    lines.push(`${table}: ${count.rows[0]?.[0] ?? 0} row(s) for ${date}; see them with: etl sql --pipeline ${pipeline.name} "${show}"`);
  }
  const { dateColumn } = loads[0];
  for (const view of stepsOfKind(pipeline, 'refresh').flatMap((step) => step.views)) {
    // The view's row for the date when it has the date column (a daily view), else its first row.
    const { columns } = await runSql(redshiftData, redshift, `SELECT * FROM ${quoteIdentifier(view)} LIMIT 0`);
    const forDate = columns.includes(dateColumn) ? ` WHERE ${quoteIdentifier(dateColumn)} = ${quoteLiteral(date)}` : '';
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
