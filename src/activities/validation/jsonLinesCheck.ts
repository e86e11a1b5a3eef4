import { addAbortSignal, type Readable } from 'node:stream';
import type { Column, Contract } from '../../steps/validate/settings';
import { columnCheck, type FieldCheck } from './contract';
import { maxRecordBytes } from './csvScanner';
import { encodingProblem, mayHoldEncodingProblems, UnsupportedEncoding, utf8MarkLength } from './encoding';
import { collectViolations, truncate, type StreamValidation, type ValidateStreamOptions, type Violation } from './validateStream';

// A JSON Lines file holds one JSON object per line; its keys are the columns. Values are checked against the
// column types as Glue and Redshift COPY (JSON 'auto') read them:
// - string, date, timestamp: a JSON string (dates and timestamps in the same forms as in a CSV file);
// - integer: a JSON number without a fraction, up to 2^53 - 1 in size (the largest a JSON reader holds
//   exactly), or a string of digits within the 64-bit range;
// - decimal(p,s): a JSON number of at most 15 significant digits (a double holds no more exactly), or a
//   string holding the decimal, checked digit for digit;
// - boolean: true or false.
// A missing key is a null: only a column that is not nullable needs it.

const newline = 0x0a;
/** Significant digits every double holds exactly. */
const exactDoubleDigits = 15;
/** In a `u` pattern a surrogate pair is one code point, so this matches only half of one. */
const loneSurrogate = /\p{Cs}/u;

/** What one contract column accepts of a parsed JSON value that is not null. */
type ValueCheck = (value: unknown) => string | undefined;

interface KeyCheck {
  nullable: boolean;
  value: ValueCheck;
}

/**
 * Streams a JSON Lines file through the contract: every line one JSON object holding the contract's columns
 * (no other keys unless allowed) with valid values. Lines are cut from the chunks as they arrive; only the
 * current chunk, a line that straddles two chunks and the bounded sample are kept. Blank lines at the end of
 * the file are allowed; elsewhere a blank line is a violation.
 */
export async function validateJsonLines(source: Readable, contract: Contract, options: ValidateStreamOptions = {}): Promise<StreamValidation> {
  const { onProgress, progressEveryRows = 10_000, signal } = options;
  const { result, report } = collectViolations(contract);
  const keys = new Map(contract.columns.map((column) => [column.name, keyCheck(column)]));
  let line = 0;
  // Blank lines are violations only once a line with an object follows them.
  let blankLines = 0;

  const checkLine = (bytes: Buffer) => {
    line += 1;
    if (line === 1) bytes = bytes.subarray(utf8MarkLength(bytes));
    const text = lineText(bytes);
    if (text === undefined) {
      result.rows += 1;
      reportBlankLines();
      report({ line, reason: encodingProblem(bytes, 0, bytes.length) ?? 'not UTF-8' });
      return;
    }
    if (text.trim() === '') {
      blankLines += 1;
      return;
    }
    result.rows += 1;
    reportBlankLines();
    checkRecord(text, line, contract, keys, report);
    if (onProgress && result.rows % progressEveryRows === 0) onProgress(result.rows);
  };
  const reportBlankLines = () => {
    for (let blank = line - blankLines; blank < line; blank++) report({ line: blank, reason: 'blank line: every line holds one JSON object' });
    blankLines = 0;
  };

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of signal ? addAbortSignal(signal, source) : source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      let start = 0;
      for (let end = bytes.indexOf(newline); end !== -1; end = bytes.indexOf(newline, start)) {
        const piece = bytes.subarray(start, end);
        if (pendingBytes + piece.length > maxRecordBytes) throw new LineTooLong();
        checkLine(pending.length ? Buffer.concat([...pending, piece]) : piece);
        pending = [];
        pendingBytes = 0;
        start = end + 1;
      }
      if (start < bytes.length) {
        pending.push(bytes.subarray(start));
        pendingBytes += bytes.length - start;
        if (pendingBytes > maxRecordBytes) throw new LineTooLong();
      }
    }
    if (pending.length) checkLine(Buffer.concat(pending));
  } catch (err) {
    if (err instanceof UnsupportedEncoding) report({ line: 1, reason: err.message });
    else if (err instanceof LineTooLong) report({ line: line + 1, reason: lineTooLong });
    else throw err;
  }
  return result;
}

/** A line is held whole to be parsed, so one without an end would otherwise make the check hold the rest of the file. */
class LineTooLong extends Error {}
const lineTooLong = `a line longer than ${maxRecordBytes / 1024 ** 2} MiB, checking stopped here: is the file one JSON document rather than JSON Lines?`;

/** The line decoded, or undefined when its bytes are not UTF-8 or hold a NUL byte. */
function lineText(bytes: Buffer): string | undefined {
  return mayHoldEncodingProblems(bytes, bytes.length) ? undefined : bytes.toString('utf8');
}

function checkRecord(text: string, line: number, contract: Contract, keys: Map<string, KeyCheck>, report: (v: Violation) => void): void {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (err) {
    report({ line, value: truncate(text), reason: `not JSON: ${(err as Error).message}` });
    return;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    report({ line, value: truncate(text), reason: `not a JSON object: the line holds ${kindOf(record)}; every line holds one object` });
    return;
  }
  const fields = record as Record<string, unknown>;
  for (const [name, check] of keys) {
    const value = fields[name];
    if (value === undefined || value === null) {
      if (!check.nullable)
        report({ line, column: name, reason: value === null ? 'null in a column that is not nullable' : 'key missing, and the column is not nullable' });
      continue;
    }
    const reason = check.value(value);
    if (reason) report({ line, column: name, value: truncate(typeof value === 'string' ? value : JSON.stringify(value)), reason });
  }
  if (!contract.allowExtraColumns) {
    for (const name of Object.keys(fields)) {
      if (!keys.has(name)) report({ line, column: name, reason: 'key not in the contract (allowExtraColumns is false)' });
    }
  }
}

function keyCheck(column: Column): KeyCheck {
  const fieldCheck = columnCheck(column).value;
  return { nullable: column.nullable, value: valueCheck(column.type, fieldCheck) };
}

function valueCheck(type: string, fieldCheck: FieldCheck | undefined): ValueCheck {
  const onText = (value: string) => {
    const problem = textProblem(value);
    if (problem || !fieldCheck) return problem;
    const bytes = Buffer.from(value);
    return fieldCheck(bytes, 0, bytes.length);
  };
  if (type === 'boolean') return (value) => (typeof value === 'boolean' ? undefined : `not a boolean: expected true or false, found ${kindOf(value)}`);
  if (type === 'integer') {
    return (value) => {
      if (typeof value === 'string') return onText(value);
      if (typeof value !== 'number') return `not an integer: expected a JSON number or a string of digits, found ${kindOf(value)}`;
      if (!Number.isInteger(value)) return 'not an integer';
      if (!Number.isSafeInteger(value)) return 'integer beyond 2^53 - 1, which a JSON number cannot hold exactly: write it as a string of digits';
      return undefined;
    };
  }
  if (type.startsWith('decimal')) {
    return (value) => {
      if (typeof value === 'string') return onText(value);
      if (typeof value !== 'number') return `not a ${type} number: expected a JSON number or a string, found ${kindOf(value)}`;
      const digits = String(value);
      if (significantDigits(digits) > exactDoubleDigits) {
        return `more than ${exactDoubleDigits} significant digits, which a JSON number cannot hold exactly: write it as a string`;
      }
      return fieldCheck?.(Buffer.from(digits), 0, digits.length);
    };
  }
  // string, date, timestamp
  return (value) => (typeof value === 'string' ? onText(value) : `expected a JSON string for a ${type} column, found ${kindOf(value)}`);
}

/** What a string's escapes can hold that its bytes cannot: a NUL (Redshift COPY rejects it) or half a surrogate pair (not UTF-8). */
function textProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'NUL character (\\u0000); Redshift COPY rejects NUL';
  if (loneSurrogate.test(value)) return 'not UTF-8: an unpaired surrogate escape (\\uD800-\\uDFFF)';
  return undefined;
}

/** Significant digits of a number as JavaScript writes it ("1.5e-7", "12.34", "1e+21"). */
function significantDigits(text: string): number {
  const mantissa = text.replace(/^-/, '').split('e')[0].replace('.', '');
  return mantissa.replace(/^0+/, '').length || 1;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
