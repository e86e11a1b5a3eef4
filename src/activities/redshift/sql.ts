import type { PipelineConfig } from '../../config/schema';
import { parseRunDate, renderTemplate } from '../../shared/dates';

// Why the SQL is built as text rather than with bound parameters: identifiers can never be bound,
// and COPY is not a statement Redshift can prepare, so its S3 source (which holds the date) and IAM
// role must be literals. Binding the date in the DELETE alone would not remove it from the COPY, and
// mixing bound parameters with COPY in one batch is not something the Data API documents. So every
// piece comes from validated config or a re-validated YYYY-MM-DD date, and passes through the two
// quoting functions below.

type RedshiftTarget = PipelineConfig['redshift'];

/** `public.fct_orders` -> `"public"."fct_orders"`: each part quoted, embedded double quotes doubled. */
export function quoteIdentifier(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}

/** A string literal. Redshift also treats a backslash as an escape inside literals, so both are doubled. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

const copyFormats: Record<RedshiftTarget['copy']['format'], string> = {
  parquet: 'FORMAT AS PARQUET',
  csv: 'FORMAT AS CSV IGNOREHEADER 1',
  json: "FORMAT AS JSON 'auto'",
};

/** Replaces the date's rows: run as one transaction, so a rerun never duplicates rows or leaves the date empty. */
export function loadStatements(redshift: RedshiftTarget, date: string): string[] {
  const runDate = parseRunDate(date);
  const table = quoteIdentifier(redshift.table);
  const source = renderTemplate(redshift.copy.source, { date: runDate });
  return [
    `DELETE FROM ${table} WHERE ${quoteIdentifier(redshift.dateColumn)} = ${quoteLiteral(runDate)}`,
    `COPY ${table} FROM ${quoteLiteral(source)} IAM_ROLE ${quoteLiteral(redshift.copy.iamRole)} ${copyFormats[redshift.copy.format]}`,
  ];
}

export function refreshStatements(views: string[]): string[] {
  return views.map((view) => `REFRESH MATERIALIZED VIEW ${quoteIdentifier(view)}`);
}
