import { CsvError, parse } from 'csv-parse/sync';
import type { Contract } from '../../src/steps/validate/settings';
import { columnCheck, type ColumnCheck } from '../../src/activities/validation/contract';
import { encodingProblem, toText } from '../../src/activities/validation/encoding';
import type { StreamValidation, Violation } from '../../src/activities/validation/validateStream';

/** What every malformed-CSV report starts with; the rest says why, in each reader's own words. */
export const malformedPrefix = 'malformed CSV, checking stopped here: ';

const maxValueLength = 100;
const utf8Mark = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The contract checked with csv-parse splitting the records: the oracle of the differential test. It shares
 * the value and encoding checks with validateStream, so what it tests is the scanning: records, fields,
 * quotes, line numbers and where the checks run. csv-parse picks the file's first line ending for the whole
 * file, so it agrees with validateStream on files that keep one line ending (LF or CRLF).
 */
export function validateWithCsvParse(file: Buffer, contract: Contract): StreamValidation {
  const result: StreamValidation = { rows: 0, errorCount: 0, sample: [] };
  const report = (violation: Violation) => {
    result.errorCount += 1;
    if (result.sample.length < contract.maxReportedErrors) result.sample.push(violation);
  };
  let line = 1;
  let columns: (ColumnCheck & { name: string })[] | undefined;
  const onRecord = (record: string[]) => {
    const recordLine = line;
    line += 1 + record.reduce((count, field) => count + field.split('\n').length - 1, 0);
    // csv-parse yields a blank line as one empty field.
    if (record.length === 1 && record[0] === '') return;
    const fields = record.map((field) => Buffer.from(field, 'latin1'));
    if (!columns) {
      columns = header(fields, recordLine, contract, report);
      return;
    }
    result.rows += 1;
    if (fields.length !== columns.length) {
      report({ line: recordLine, reason: `expected ${columns.length} fields as in the header, found ${fields.length}` });
      return;
    }
    fields.forEach((bytes, i) => {
      const { empty, value } = columns![i];
      const reason = bytes.length === 0 ? empty : (encodingProblem(bytes, 0, bytes.length) ?? value?.(bytes, 0, bytes.length));
      if (reason) report({ line: recordLine, column: columns![i].name, value: truncate(toText(bytes, 0, bytes.length)), reason });
    });
  };

  const text = file.subarray(0, 3).equals(utf8Mark) ? file.subarray(3) : file;
  try {
    parse(text, {
      encoding: 'latin1',
      delimiter: Buffer.from(contract.delimiter).toString('latin1'),
      relax_column_count: true,
      on_record: (record: string[]) => {
        onRecord(record);
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    report({ line, reason: `${malformedPrefix}${err.message}` });
    return result;
  }
  if (!columns) report({ line: 1, reason: 'empty file: no header' });
  return result;
}

function header(fields: Buffer[], line: number, contract: Contract, report: (v: Violation) => void) {
  const required = new Map(contract.columns.map((column) => [column.name, column]));
  const seen = new Set<string>();
  const slots = fields.map((bytes) => {
    const name = toText(bytes, 0, bytes.length);
    const problem = encodingProblem(bytes, 0, bytes.length);
    if (problem) report({ line, value: truncate(name), reason: `in a column name: ${problem}` });
    if (seen.has(name)) {
      report({ line, column: name, reason: 'duplicate column in the header' });
      return { name };
    }
    seen.add(name);
    const column = required.get(name);
    if (!column && !contract.allowExtraColumns) {
      report({ line, column: name, reason: 'column not in the contract (allowExtraColumns is false)' });
    }
    return { name, ...(column && columnCheck(column)) };
  });
  for (const name of required.keys()) {
    if (!seen.has(name)) report({ line, column: name, reason: 'required column missing from the header' });
  }
  return slots;
}

function truncate(value: string): string {
  return value.length > maxValueLength ? `${value.slice(0, maxValueLength)}…` : value;
}
