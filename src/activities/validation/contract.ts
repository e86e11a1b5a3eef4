import { decimalType, type Column } from '../../steps/validate/settings';

/**
 * Checks one CSV field, `bytes[start, end)`, on its bytes; returns why it breaks the contract, or undefined
 * when it is fine. The field is valid UTF-8 by then, and every pattern below is ASCII, so no text is decoded.
 */
export type FieldCheck = (bytes: Uint8Array, start: number, end: number) => string | undefined;

/** What one contract column accepts. The column type is parsed once here, not per value, because a large file runs the check hundreds of millions of times. */
export interface ColumnCheck {
  /** Why an empty field (a null) breaks the contract, or undefined when the column is nullable. */
  empty?: string;
  /** The check of a field that is not empty, or undefined when any bytes pass (a string). */
  value?: FieldCheck;
}

export function columnCheck(column: Column): ColumnCheck {
  return { empty: column.nullable ? undefined : 'empty value in a column that is not nullable', value: typeCheck(column.type) };
}

const zero = 0x30;
const plus = 0x2b;
const minus = 0x2d;
const dot = 0x2e;
const colon = 0x3a;

const booleans = new Set(['true', 'false', '1', '0', 't', 'f', 'yes', 'no']);
const longestBoolean = 5;
// "integer" columns load as BIGINT, so the range is that of a signed 64-bit integer.
const bigintMin = -(2n ** 63n);
const bigintMax = 2n ** 63n - 1n;
// Up to 18 digits always fits; only longer values need the exact comparison.
const digitsThatAlwaysFit = 18;

function typeCheck(type: string): FieldCheck | undefined {
  const decimal = decimalType(type);
  if (decimal) return decimalCheck(decimal.precision, decimal.scale);
  switch (type) {
    case 'string':
      return undefined;
    case 'integer':
      return checkInteger;
    case 'date':
      return checkDate;
    case 'timestamp':
      return checkTimestamp;
    case 'boolean':
      return checkBoolean;
    default:
      throw new Error(`unknown column type "${type}"`);
  }
}

const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

/** The offset of the first byte in [at, end) that is not an ASCII digit. */
function digitsEnd(bytes: Uint8Array, at: number, end: number): number {
  while (at < end && isDigit(bytes[at])) at++;
  return at;
}

function signEnd(bytes: Uint8Array, at: number, end: number): number {
  return at < end && (bytes[at] === plus || bytes[at] === minus) ? at + 1 : at;
}

function checkInteger(bytes: Uint8Array, start: number, end: number): string | undefined {
  const digits = signEnd(bytes, start, end);
  if (digits === end || digitsEnd(bytes, digits, end) !== end) return 'not an integer';
  if (end - digits > digitsThatAlwaysFit) {
    const n = BigInt(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'));
    if (n < bigintMin || n > bigintMax) return 'integer out of the 64-bit range';
  }
  return undefined;
}

function decimalCheck(precision: number, scale: number): FieldCheck {
  const type = `decimal(${precision},${scale})`;
  const maxWholeDigits = precision - scale;
  const notADecimal = `not a ${type} number`;
  const tooManyFractionDigits = `more than ${scale} digit(s) after the decimal point for ${type}`;
  const tooManyWholeDigits = `more than ${maxWholeDigits} digit(s) before the decimal point for ${type}`;
  return (bytes, start, end) => {
    const wholeStart = signEnd(bytes, start, end);
    const wholeEnd = digitsEnd(bytes, wholeStart, end);
    let fractionDigits = 0;
    let at = wholeEnd;
    if (at < end && bytes[at] === dot) {
      at = digitsEnd(bytes, at + 1, end);
      fractionDigits = at - wholeEnd - 1;
    }
    if (at !== end || (wholeEnd === wholeStart && fractionDigits === 0)) return notADecimal;
    if (fractionDigits > scale) return tooManyFractionDigits;
    let significant = wholeStart;
    while (significant < wholeEnd && bytes[significant] === zero) significant++;
    if (wholeEnd - significant > maxWholeDigits) return tooManyWholeDigits;
    return undefined;
  };
}

/** The value of the two ASCII digits at `at`, or -1 when they are not both digits. */
function twoDigits(bytes: Uint8Array, at: number): number {
  const tens = bytes[at] - zero;
  const ones = bytes[at + 1] - zero;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** The date YYYY-MM-DD at `at`: true when it exists, false when it does not, undefined when it is not that shape. */
function dateAt(bytes: Uint8Array, at: number): boolean | undefined {
  const century = twoDigits(bytes, at);
  const yearOfCentury = twoDigits(bytes, at + 2);
  const month = twoDigits(bytes, at + 5);
  const day = twoDigits(bytes, at + 8);
  if ((century | yearOfCentury | month | day) < 0 || bytes[at + 4] !== minus || bytes[at + 7] !== minus) return undefined;
  return dateExists(century * 100 + yearOfCentury, month, day);
}

function checkDate(bytes: Uint8Array, start: number, end: number): string | undefined {
  const exists = end - start === 10 ? dateAt(bytes, start) : undefined;
  if (exists === undefined) return 'not a date (expected YYYY-MM-DD)';
  return exists ? undefined : 'no such date';
}

const notATimestamp = 'not a timestamp (expected ISO 8601 or YYYY-MM-DD HH:MM:SS[.ffffff], optionally with a zone)';
// Fractions go to microseconds, the precision of a Redshift TIMESTAMP.
const maxFractionDigits = 6;

/** YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}][Z|±HH[[:]MM]]: seconds are required. */
function checkTimestamp(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start < 19) return notATimestamp;
  const exists = dateAt(bytes, start);
  const separator = bytes[start + 10];
  const hour = twoDigits(bytes, start + 11);
  const minute = twoDigits(bytes, start + 14);
  const second = twoDigits(bytes, start + 17);
  if (exists === undefined || (separator !== 0x54 && separator !== 0x20) || (hour | minute | second) < 0) return notATimestamp;
  if (bytes[start + 13] !== colon || bytes[start + 16] !== colon) return notATimestamp;
  let at = start + 19;
  if (at < end && bytes[at] === dot) {
    const fractionEnd = digitsEnd(bytes, at + 1, end);
    const fractionDigits = fractionEnd - at - 1;
    if (fractionDigits < 1 || fractionDigits > maxFractionDigits) return notATimestamp;
    at = fractionEnd;
  }
  let zoneHours = 0;
  let zoneMinutes = 0;
  if (at < end && bytes[at] === 0x5a) {
    at += 1;
  } else if (at < end && (bytes[at] === plus || bytes[at] === minus)) {
    zoneHours = end - at >= 3 ? twoDigits(bytes, at + 1) : -1;
    at += 3;
    if (at < end) {
      if (bytes[at] === colon) at += 1;
      zoneMinutes = end - at === 2 ? twoDigits(bytes, at) : -1;
      at += 2;
    }
    if ((zoneHours | zoneMinutes) < 0) return notATimestamp;
  }
  if (at !== end) return notATimestamp;
  if (!exists) return 'no such date';
  if (hour > 23 || minute > 59 || second > 59) return 'no such time of day';
  if (zoneHours > 14 || zoneMinutes > 59) return 'no such time zone offset';
  return undefined;
}

function checkBoolean(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start <= longestBoolean) {
    // The words are ASCII, and lower-casing never turns another character into ASCII, so latin1 is enough.
    const word = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
      .toString('latin1')
      .toLowerCase();
    if (booleans.has(word)) return undefined;
  }
  return 'not a boolean (true/false, 1/0, t/f or yes/no)';
}

function dateExists(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
