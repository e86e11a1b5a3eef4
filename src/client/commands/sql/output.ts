import type { SqlResult, SqlValue } from '../../../redshift/runSql';
import { alignColumns } from '../../table';

/** A header, one aligned line per row (NULL for null), and a count. */
export function resultLines(result: SqlResult): string[] {
  if (result.columns.length === 0) return [`OK, ${result.rowsAffected ?? 0} row(s) affected`];
  const text = (value: SqlValue) => (value === null ? 'NULL' : String(value));
  return [...alignColumns([result.columns, ...result.rows.map((row) => row.map(text))]), `(${result.rows.length} row(s))`];
}
