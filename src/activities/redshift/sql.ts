import { ApplicationFailure } from '@temporalio/common';
import type { LoadMode } from '../../steps/load/settings';
import type { LoadInput, RedshiftTarget } from '../../shared/activityInputs';
import { parseRunDate } from '../../shared/dates';
import { errorTypes } from '../../shared/errorTypes';
import { quoteIdentifier, quoteLiteral } from '../../redshift/quoting';
import { copySource } from './copySource';

// Why the SQL is built as text rather than with bound parameters: identifiers can never be bound,
// and COPY is not a statement Redshift can prepare, so its S3 source (which holds the date) and IAM
// role must be literals. Binding the date in the checks and DELETE alone would not remove it from the COPY.
// So every piece comes from validated config or a re-validated YYYY-MM-DD date, and passes through the two
// quoting functions below. (The sql step's statements, which hold no COPY, get the date bound instead.)

const copyFormats: Record<RedshiftTarget['copy']['format'], string> = {
  parquet: 'FORMAT AS PARQUET',
  csv: 'FORMAT AS CSV IGNOREHEADER 1',
  json: "FORMAT AS JSON 'auto'",
};

/** Where the load's temporary copy of the COPY source lives; a Data API batch is its own session, so the name is free. */
const stagingTable = quoteIdentifier('etl_staging');

/** The load's settings; `mode` is absent from inputs recorded before load modes. */
type LoadTarget = LoadInput['redshift'];

/** The load's statements, in order, and the ones whose outcome the activity reads. */
export interface LoadStatements {
  mode: LoadMode;
  sqls: string[];
  /** Fails (division by zero) when a staged row's date column is null or not the run's date. */
  dateCheckIndex: number;
  /** upsert: fails when two staged rows share a key, or one has none. */
  keyCheckIndex?: number;
  /** append: fails when the ledger says the date was appended already. */
  ledgerCheckIndex?: number;
  /** Its row count is the number of rows deleted (replace-date, upsert). */
  deleteIndex?: number;
  /** Its row count is the number of rows loaded. */
  insertIndex: number;
}

/** Where append loads record each date they appended: beside the table, in its schema. */
export function appendLedger(table: string): string {
  const schema = table.includes('.') ? `${table.split('.')[0]}.` : '';
  return `${schema}etl_appended_dates`;
}

/** A batch cannot RAISE; dividing by zero is the portable way to make a statement fail on a condition. */
function failIfAny(from: string): string {
  return `SELECT 1 / CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM ${from}`;
}

/**
 * The date's load as one transaction: the COPY source is staged and checked first (every row of the date;
 * for upsert, each key once), so rows of another date cannot slip in, a rerun never duplicates rows and any
 * failure leaves the table as it was. Then, by mode, the staged rows replace the date's rows, replace the
 * rows with their keys, or join the table, the date recorded in the ledger so it is never appended twice.
 */
export function loadStatements(redshift: LoadTarget, date: string, pipelineName: string): LoadStatements {
  const mode = redshift.mode ?? 'replace-date';
  const runDate = quoteLiteral(parseRunDate(date));
  const table = quoteIdentifier(redshift.table);
  const dateColumn = quoteIdentifier(redshift.dateColumn);
  const { url } = copySource(redshift, date);
  const { columns } = redshift.copy;
  const columnList = columns ? ` (${columns.map(quoteIdentifier).join(', ')})` : '';
  const ledger = quoteIdentifier(appendLedger(redshift.table));
  const ledgerEntry = `pipeline_name = ${quoteLiteral(pipelineName)} AND table_name = ${quoteLiteral(redshift.table)} AND load_date = ${runDate}`;
  const ledgerCheck = mode === 'append' ? failIfAny(`${ledger} WHERE ${ledgerEntry}`) : undefined;
  // Files in a Hive-style partition folder (order_date=.../) do not hold the date column: the folder is the date's.
  const supplyDate = columns && !columns.includes(redshift.dateColumn) ? [`UPDATE ${stagingTable} SET ${dateColumn} = ${runDate}`] : [];
  const dateCheck = failIfAny(`${stagingTable} WHERE ${dateColumn} IS NULL OR ${dateColumn} <> ${runDate}`);
  const keys = mode === 'upsert' ? requiredKeyColumns(redshift).map(quoteIdentifier) : [];
  const keyCheck =
    mode === 'upsert'
      ? failIfAny(
          `(SELECT 1 FROM ${stagingTable} GROUP BY ${keys.join(', ')} HAVING COUNT(*) > 1 OR ${keys.map((key) => `${key} IS NULL`).join(' OR ')}) AS "bad_keys"`,
        )
      : undefined;
  const deletes: Record<LoadMode, string | undefined> = {
    'replace-date': `DELETE FROM ${table} WHERE ${dateColumn} = ${runDate}`,
    // Redshift's DELETE takes no alias: the target's columns are qualified by its name.
    upsert: `DELETE FROM ${table} USING ${stagingTable} WHERE ${keys.map((key) => `${table}.${key} = ${stagingTable}.${key}`).join(' AND ')}`,
    append: undefined,
  };
  const remove = deletes[mode];
  const insert = `INSERT INTO ${table} SELECT * FROM ${stagingTable}`;
  const sqls = [
    ...(ledgerCheck
      ? [
          `CREATE TABLE IF NOT EXISTS ${ledger} (pipeline_name VARCHAR(256) NOT NULL, table_name VARCHAR(256) NOT NULL, load_date DATE NOT NULL, appended_at TIMESTAMP NOT NULL)`,
          ledgerCheck,
        ]
      : []),
    `CREATE TEMP TABLE ${stagingTable} (LIKE ${table})`,
    `COPY ${stagingTable}${columnList} FROM ${quoteLiteral(url)} IAM_ROLE ${quoteLiteral(redshift.copy.iamRole)} ${copyFormats[redshift.copy.format]}`,
    ...supplyDate,
    dateCheck,
    ...(keyCheck ? [keyCheck] : []),
    ...(remove ? [remove] : []),
    insert,
    ...(ledgerCheck ? [`INSERT INTO ${ledger} VALUES (${quoteLiteral(pipelineName)}, ${quoteLiteral(redshift.table)}, ${runDate}, GETDATE())`] : []),
  ];
  const indexOf = (sql: string | undefined) => (sql === undefined ? undefined : sqls.indexOf(sql));
  return {
    mode,
    sqls,
    dateCheckIndex: sqls.indexOf(dateCheck),
    keyCheckIndex: indexOf(keyCheck),
    ledgerCheckIndex: indexOf(ledgerCheck),
    deleteIndex: indexOf(remove),
    insertIndex: sqls.indexOf(insert),
  };
}

/** The schema requires key columns for upsert; an input that lacks them cannot be loaded by key. */
function requiredKeyColumns({ keyColumns }: LoadTarget): string[] {
  if (keyColumns?.length) return keyColumns;
  throw ApplicationFailure.nonRetryable(
    'The load has mode upsert but no keyColumns: set redshift.keyColumns to the columns that identify a row, then run the date again',
    errorTypes.InvalidRunInput,
  );
}

export function refreshStatements(views: string[]): string[] {
  return views.map((view) => `REFRESH MATERIALIZED VIEW ${quoteIdentifier(view)}`);
}
