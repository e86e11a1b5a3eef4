import { addAbortSignal, type Readable } from 'node:stream';
import type { Contract } from '../../steps/validate/settings';
import { columnCheck, type ColumnCheck } from './contract';
import { CsvScanner, MalformedCsv, unescapedField, type CsvRecord } from './csvScanner';
import { encodingProblem, toText, UnsupportedEncoding } from './encoding';

/**
 * One way a file breaks its contract. `line` is the file line where the offending record starts (the header is
 * line 1); a Parquet file has no lines, so its violations name a row group (numbered from 0, as Parquet tools do), or neither.
 */
export interface Violation {
  line?: number;
  rowGroup?: number;
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

/**
 * Streams a CSV file through the contract: the header must hold the required columns (no duplicates,
 * no extras unless allowed), and every row must have the header's field count and valid values.
 * Fields are checked on the bytes of the chunks as they arrive; memory stays flat whatever the file size:
 * only the current chunk, a record that straddles two chunks and the bounded sample are kept.
 */
export async function validateStream(source: Readable, contract: Contract, options: ValidateStreamOptions = {}): Promise<StreamValidation> {
  const { onProgress, progressEveryRows = 10_000, signal } = options;
  const { result, report } = collectViolations(contract);

  let columns: ColumnSlot[] | undefined;
  const scanner = new CsvScanner(contract.delimiter, (record) => {
    if (!columns) {
      columns = checkHeader(record, contract, report);
      return;
    }
    result.rows += 1;
    checkRow(record, columns, report);
    if (onProgress && result.rows % progressEveryRows === 0) onProgress(result.rows);
  });

  try {
    for await (const chunk of signal ? addAbortSignal(signal, source) : source) {
      scanner.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    }
    scanner.end();
  } catch (err) {
    if (err instanceof UnsupportedEncoding) {
      report({ line: 1, reason: err.message });
      return result;
    }
    if (!(err instanceof MalformedCsv)) throw err;
    // Nothing after malformed quoting can be told apart reliably, so checking stops at this record.
    report({ line: err.line, reason: `malformed CSV, checking stopped here: ${err.message}` });
    return result;
  }
  if (!columns) report({ line: 1, reason: 'empty file: no header' });
  return result;
}

/** A header position: its column name, and the contract's check unless it is an extra or repeated column. */
interface ColumnSlot extends ColumnCheck {
  name: string;
}

/** A field's bytes: where it lies in the chunk, or a copy without its doubled quotes. */
function fieldBytes(record: CsvRecord, field: number): [bytes: Buffer, start: number, end: number] {
  if (!record.fieldEscaped[field]) return [record.bytes, record.fieldStarts[field], record.fieldEnds[field]];
  const bytes = unescapedField(record, field);
  return [bytes, 0, bytes.length];
}

function checkHeader(record: CsvRecord, contract: Contract, report: (v: Violation) => void): ColumnSlot[] {
  const { line } = record;
  const required = new Map(contract.columns.map((column) => [column.name, column]));
  const seen = new Set<string>();
  const slots: ColumnSlot[] = [];
  for (let field = 0; field < record.fieldCount; field++) {
    const [bytes, start, end] = fieldBytes(record, field);
    const name = toText(bytes, start, end);
    const problem = encodingProblem(bytes, start, end);
    if (problem) report({ line, value: truncate(name), reason: `in a column name: ${problem}` });
    if (seen.has(name)) {
      report({ line, column: name, reason: 'duplicate column in the header' });
      slots.push({ name });
      continue;
    }
    seen.add(name);
    const column = required.get(name);
    if (!column && !contract.allowExtraColumns) {
      report({ line, column: name, reason: 'column not in the contract (allowExtraColumns is false)' });
    }
    slots.push({ name, ...(column && columnCheck(column)) });
  }
  for (const name of required.keys()) {
    if (!seen.has(name)) report({ line, column: name, reason: 'required column missing from the header' });
  }
  return slots;
}

function checkRow(record: CsvRecord, columns: ColumnSlot[], report: (v: Violation) => void): void {
  const { line, fieldCount } = record;
  if (fieldCount !== columns.length) {
    report({ line, reason: `expected ${columns.length} fields as in the header, found ${fieldCount}` });
    return;
  }
  // Every column is loaded, so every field's bytes are checked, also where the contract checks no value.
  const checkEncoding = record.mayHoldEncodingProblems;
  const { bytes, fieldStarts, fieldEnds, fieldEscaped } = record;
  for (let field = 0; field < fieldCount; field++) {
    const column = columns[field];
    if (fieldEscaped[field]) {
      checkField(record, field, column, checkEncoding, report);
      continue;
    }
    // The common case, inline: no copy, no decoding.
    const start = fieldStarts[field];
    const end = fieldEnds[field];
    if (start === end ? column.empty !== undefined : (checkEncoding && encodingProblem(bytes, start, end)) || column.value?.(bytes, start, end)) {
      checkField(record, field, column, checkEncoding, report);
    }
  }
}

function checkField(record: CsvRecord, field: number, column: ColumnSlot, checkEncoding: boolean, report: (v: Violation) => void): void {
  const [bytes, start, end] = fieldBytes(record, field);
  const reason = start === end ? column.empty : ((checkEncoding ? encodingProblem(bytes, start, end) : undefined) ?? column.value?.(bytes, start, end));
  if (reason) report({ line: record.line, column: column.name, value: truncate(toText(bytes, start, end)), reason });
}

/** A file's validation as it is found: every violation counted, the first `maxReportedErrors` kept as its sample. */
export function collectViolations(contract: Pick<Contract, 'maxReportedErrors'>, rows = 0) {
  const result: StreamValidation = { rows, errorCount: 0, sample: [] };
  const report = (violation: Violation) => {
    result.errorCount += 1;
    if (result.sample.length < contract.maxReportedErrors) result.sample.push(violation);
  };
  return { result, report };
}

/** A value as a violation shows it: cut to its first characters. */
export function truncate(value: string): string {
  return value.length > maxValueLength ? `${value.slice(0, maxValueLength)}…` : value;
}
