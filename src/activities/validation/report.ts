import type { StreamValidation, Violation } from './validateStream';

/** The JSON written beside an invalid file in errors/: what a data engineer reads to fix the file. */
export interface ErrorReport {
  /** The file as it was found, s3://bucket/raw/... */
  file: string;
  /** One line: the first violation, and how many there are in all. */
  reason: string;
  errorCount: number;
  /** Data rows read before checking ended. */
  rowsChecked: number;
  /** The first violations, in file order. */
  sample: Violation[];
  checkedAt: string;
}

export function buildErrorReport(file: string, validation: StreamValidation, checkedAt: Date): ErrorReport {
  return {
    file,
    reason: summarize(validation),
    errorCount: validation.errorCount,
    rowsChecked: validation.rows,
    sample: validation.sample,
    checkedAt: checkedAt.toISOString(),
  };
}

/** "line 3, column order_amount, value "1.234": more than 2 digit(s) after ...", or "row group 2, column order_id: ..." */
export function describeViolation(violation: Violation): string {
  const where = [
    violation.line !== undefined && `line ${violation.line}`,
    violation.rowGroup !== undefined && `row group ${violation.rowGroup}`,
    violation.column !== undefined && `column ${violation.column}`,
    violation.value !== undefined && `value ${JSON.stringify(violation.value)}`,
  ].filter(Boolean);
  return where.length ? `${where.join(', ')}: ${violation.reason}` : violation.reason;
}

function summarize(validation: StreamValidation): string {
  const first = describeViolation(validation.sample[0]);
  return validation.errorCount === 1 ? first : `${validation.errorCount} errors, the first at ${first}`;
}
