import type { Column } from '../../config/schema';

/** Checks one CSV field; returns why it breaks the contract, or undefined when it is fine. */
export type ValueCheck = (value: string) => string | undefined;

/**
 * Builds the check for one contract column. The column type is parsed once here, not per value,
 * because a large file runs the check hundreds of millions of times. An empty field is null.
 */
export function valueCheck(column: Column): ValueCheck {
  const checkType = typeCheck(column.type);
  return (value) => {
    if (value === '') return column.nullable ? undefined : 'empty value in a column that is not nullable';
    return checkType(value);
  };
}

const booleans = new Set(['true', 'false', '1', '0', 't', 'f', 'yes', 'no']);
const integerPattern = /^[+-]?\d+$/;
const decimalPattern = /^[+-]?(\d*)(?:\.(\d*))?$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
// Seconds are required; fractions go to microseconds, the precision of a Redshift TIMESTAMP.
const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?$/;
// "integer" columns load as BIGINT, so the range is that of a signed 64-bit integer.
const bigintMin = -(2n ** 63n);
const bigintMax = 2n ** 63n - 1n;

function typeCheck(type: string): ValueCheck {
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (decimal) return decimalCheck(Number(decimal[1]), Number(decimal[2]));
  switch (type) {
    case 'string':
      return () => undefined;
    case 'integer':
      return checkInteger;
    case 'date':
      return checkDate;
    case 'timestamp':
      return checkTimestamp;
    case 'boolean':
      return (value) =>
        booleans.has(value.toLowerCase()) ? undefined : 'not a boolean (true/false, 1/0, t/f or yes/no)';
    default:
      throw new Error(`unknown column type "${type}"`);
  }
}

function checkInteger(value: string): string | undefined {
  if (!integerPattern.test(value)) return 'not an integer';
  // Up to 18 digits always fits; only longer values need the exact comparison.
  if (value.replace(/^[+-]/, '').length > 18) {
    const n = BigInt(value);
    if (n < bigintMin || n > bigintMax) return 'integer out of the 64-bit range';
  }
  return undefined;
}

function decimalCheck(precision: number, scale: number): ValueCheck {
  const type = `decimal(${precision},${scale})`;
  const maxWholeDigits = precision - scale;
  return (value) => {
    const match = decimalPattern.exec(value);
    if (!match || (match[1] === '' && !match[2])) return `not a ${type} number`;
    const wholeDigits = match[1].replace(/^0+/, '').length;
    const fractionDigits = match[2]?.length ?? 0;
    if (fractionDigits > scale) return `more than ${scale} digit(s) after the decimal point for ${type}`;
    if (wholeDigits > maxWholeDigits) return `more than ${maxWholeDigits} digit(s) before the decimal point for ${type}`;
    return undefined;
  };
}

function checkDate(value: string): string | undefined {
  const match = datePattern.exec(value);
  if (!match) return 'not a date (expected YYYY-MM-DD)';
  return dateExists(match[1], match[2], match[3]) ? undefined : 'no such date';
}

function checkTimestamp(value: string): string | undefined {
  const match = timestampPattern.exec(value);
  if (!match) return 'not a timestamp (expected ISO 8601 or YYYY-MM-DD HH:MM:SS[.ffffff], optionally with a zone)';
  const [, year, month, day, hour, minute, second, zoneHours, zoneMinutes] = match;
  if (!dateExists(year, month, day)) return 'no such date';
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return 'no such time of day';
  if (zoneHours !== undefined && (Number(zoneHours) > 14 || Number(zoneMinutes ?? 0) > 59)) return 'no such time zone offset';
  return undefined;
}

function dateExists(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
