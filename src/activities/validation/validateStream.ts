import { addAbortSignal, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { Contract } from '../../config/schema';
import { valueCheck, type ValueCheck } from './contract';
import { encodingProblem, withoutByteOrderMark, toText, UnsupportedEncoding } from './encoding';

/** One way a file breaks its contract. `line` is the file line where the offending record starts (the header is line 1). */
export interface Violation {
  line: number;
  column?: string;
  /** The offending value, cut to a readable length. */
  value?: string;
  reason: string;
}

export interface StreamValidation {
  /** Data rows read, not counting the header. */
  rows: number;
  /** Every violation found; 0 means the file meets its contract. */
  errorCount: number;
  /** The first violations, at most `contract.maxReportedErrors` of them. */
  sample: Violation[];
}

export interface ValidateStreamOptions {
  /** Called every `progressEveryRows` rows, so a long file can heartbeat. */
  onProgress?: (rows: number) => void;
  progressEveryRows?: number;
  /** Aborting destroys the source and rejects with an AbortError. */
  signal?: AbortSignal;
}

const maxValueLength = 100;
// An unclosed quote would otherwise make the parser buffer the rest of the file as one field.
const maxRecordBytes = 16 * 1024 * 1024;

/**
 * Streams a CSV file through the contract: the header must hold the required columns (no duplicates,
 * no extras unless allowed), and every row must have the header's field count and valid values.
 * Memory stays flat whatever the file size: only the current record and the bounded sample are kept.
 */
export async function validateStream(
  source: Readable,
  contract: Contract,
  options: ValidateStreamOptions = {},
): Promise<StreamValidation> {
  const { onProgress, progressEveryRows = 10_000, signal } = options;
  const result: StreamValidation = { rows: 0, errorCount: 0, sample: [] };
  const report = (violation: Violation) => {
    result.errorCount += 1;
    if (result.sample.length < contract.maxReportedErrors) result.sample.push(violation);
  };

  let line = 1;
  let columns: ColumnSlot[] | undefined;
  const checkRecord = (record: string[]) => {
    const recordLine = line;
    // Quoted fields may span lines; csv-parse's own line count is off for quoted CRLF, so count here.
    line += 1 + newlinesIn(record);
    if (isBlankLine(record)) return;
    if (!columns) {
      columns = checkHeader(record, contract, report);
      return;
    }
    result.rows += 1;
    checkRow(record, recordLine, columns, report);
    if (onProgress && result.rows % progressEveryRows === 0) onProgress(result.rows);
  };

  const parser = parse({
    // Each byte becomes one character, so the fields keep the file's exact bytes and UTF-8 is checked per field.
    encoding: 'latin1',
    delimiter: Buffer.from(contract.delimiter).toString('latin1'),
    // Wrong field counts are reported per row rather than ending the parse.
    relax_column_count: true,
    max_record_size: maxRecordBytes,
    // Records are checked as they are parsed and never queued, so when a parse error ends the
    // stream, every record before it has been counted and `line` is where the bad one starts.
    on_record: (record: string[]) => {
      checkRecord(record);
      return null;
    },
  });
  try {
    await pipeline(signal ? addAbortSignal(signal, source) : source, withoutByteOrderMark, parser.resume());
  } catch (err) {
    if (err instanceof UnsupportedEncoding) {
      report({ line: 1, reason: err.message });
      return result;
    }
    if (!(err instanceof CsvError)) throw err;
    // The parser cannot resynchronise after malformed quoting, so checking stops at this record.
    report({ line, reason: `malformed CSV, checking stopped here: ${err.message}` });
    return result;
  }
  if (!columns) report({ line: 1, reason: 'empty file: no header' });
  return result;
}

/** A header position: its column name, and the contract check unless it is an extra or repeated column. */
interface ColumnSlot {
  name: string;
  check?: ValueCheck;
}

function checkHeader(fields: string[], contract: Contract, report: (v: Violation) => void): ColumnSlot[] {
  const required = new Map(contract.columns.map((column) => [column.name, column]));
  const seen = new Set<string>();
  const slots = fields.map((field): ColumnSlot => {
    const name = toText(field);
    const problem = encodingProblem(field);
    if (problem) report({ line: 1, value: truncate(name), reason: `in a column name: ${problem}` });
    if (seen.has(name)) {
      report({ line: 1, column: name, reason: 'duplicate column in the header' });
      return { name };
    }
    seen.add(name);
    const column = required.get(name);
    if (!column && !contract.allowExtraColumns) {
      report({ line: 1, column: name, reason: 'column not in the contract (allowExtraColumns is false)' });
    }
    return { name, check: column && valueCheck(column) };
  });
  for (const name of required.keys()) {
    if (!seen.has(name)) report({ line: 1, column: name, reason: 'required column missing from the header' });
  }
  return slots;
}

function checkRow(record: string[], line: number, columns: ColumnSlot[], report: (v: Violation) => void): void {
  if (record.length !== columns.length) {
    report({ line, reason: `expected ${columns.length} fields as in the header, found ${record.length}` });
    return;
  }
  for (let i = 0; i < columns.length; i++) {
    const { name, check } = columns[i];
    const value = toText(record[i]);
    // Every column is loaded, so every field's bytes are checked, also where the contract checks no value.
    const reason = encodingProblem(record[i]) ?? check?.(value);
    if (reason) report({ line, column: name, value: truncate(value), reason });
  }
}

/**
 * csv-parse yields a blank line as one empty field; it is not a row. (In a one-column file this also
 * skips a row whose only value is empty: the two cannot be told apart.)
 */
function isBlankLine(record: string[]): boolean {
  return record.length === 1 && record[0] === '';
}

function newlinesIn(record: string[]): number {
  let count = 0;
  for (const field of record) {
    for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) count += 1;
  }
  return count;
}

function truncate(value: string): string {
  return value.length > maxValueLength ? `${value.slice(0, maxValueLength)}…` : value;
}
