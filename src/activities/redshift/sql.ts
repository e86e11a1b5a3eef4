import type { RedshiftTarget } from '../../shared/activityInputs';
import { parseRunDate } from '../../shared/dates';
import { quoteIdentifier, quoteLiteral } from '../../redshift/quoting';
import { copySource } from './copySource';

// Why the SQL is built as text rather than with bound parameters: identifiers can never be bound,
// and COPY is not a statement Redshift can prepare, so its S3 source (which holds the date) and IAM
// role must be literals. Binding the date in the check and DELETE alone would not remove it from the COPY, and
// mixing bound parameters with COPY in one batch is not something the Data API documents. So every
// piece comes from validated config or a re-validated YYYY-MM-DD date, and passes through the two
// quoting functions below.

const copyFormats: Record<RedshiftTarget['copy']['format'], string> = {
  parquet: 'FORMAT AS PARQUET',
  csv: 'FORMAT AS CSV IGNOREHEADER 1',
  json: "FORMAT AS JSON 'auto'",
};

/** Where the load's temporary copy of the COPY source lives; a Data API batch is its own session, so the name is free. */
const stagingTable = quoteIdentifier('etl_staging');

/** The load's statements, in order, and the ones whose outcome the activity reads. */
export interface LoadStatements {
  sqls: string[];
  /** Fails (division by zero) when a staged row's date column is null or not the run's date. */
  dateCheckIndex: number;
  /** Its row count is the number of rows loaded. */
  insertIndex: number;
}

/**
 * Replaces the date's rows with exactly what the COPY source holds, as one transaction: the source is
 * staged and checked first, so rows of another date can neither slip in nor survive the DELETE, a rerun
 * never duplicates rows, and any failure leaves the date as it was.
 */
export function loadStatements(redshift: RedshiftTarget, date: string): LoadStatements {
  const runDate = quoteLiteral(parseRunDate(date));
  const table = quoteIdentifier(redshift.table);
  const dateColumn = quoteIdentifier(redshift.dateColumn);
  const { url } = copySource(redshift, date);
  const { columns } = redshift.copy;
  const columnList = columns ? ` (${columns.map(quoteIdentifier).join(', ')})` : '';
  // Files in a Hive-style partition folder (order_date=.../) do not hold the date column: the folder is the date's.
  const supplyDate = columns && !columns.includes(redshift.dateColumn) ? [`UPDATE ${stagingTable} SET ${dateColumn} = ${runDate}`] : [];
  // A batch cannot RAISE; dividing by zero is the portable way to make a statement fail on a condition.
  const dateCheck = `SELECT 1 / CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM ${stagingTable} WHERE ${dateColumn} IS NULL OR ${dateColumn} <> ${runDate}`;
  const insert = `INSERT INTO ${table} SELECT * FROM ${stagingTable}`;
  const sqls = [
    `CREATE TEMP TABLE ${stagingTable} (LIKE ${table})`,
    `COPY ${stagingTable}${columnList} FROM ${quoteLiteral(url)} IAM_ROLE ${quoteLiteral(redshift.copy.iamRole)} ${copyFormats[redshift.copy.format]}`,
    ...supplyDate,
    dateCheck,
    `DELETE FROM ${table} WHERE ${dateColumn} = ${runDate}`,
    insert,
  ];
  return { sqls, dateCheckIndex: sqls.indexOf(dateCheck), insertIndex: sqls.indexOf(insert) };
}

export function refreshStatements(views: string[]): string[] {
  return views.map((view) => `REFRESH MATERIALIZED VIEW ${quoteIdentifier(view)}`);
}
