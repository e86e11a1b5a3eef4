// Run dates are plain 'YYYY-MM-DD' strings everywhere (workflow ids, CLI flags, S3 keys).
// This module is also bundled into workflow code, so it must stay deterministic and free
// of Node imports: no clock, no time zone, only UTC calendar arithmetic.

import { errorTypes } from './errorTypes';

export class InvalidDateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = errorTypes.InvalidDateError;
  }
}

export class InvalidTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = errorTypes.InvalidTemplateError;
  }
}

const MS_PER_DAY = 86_400_000;
const RUN_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const moment = new Date(0);
  moment.setUTCFullYear(year, month - 1, day);
  return moment.getTime() / MS_PER_DAY;
}

function dateOfDayNumber(days: number): string {
  const moment = new Date(days * MS_PER_DAY);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(moment.getUTCFullYear(), 4)}-${pad(moment.getUTCMonth() + 1, 2)}-${pad(moment.getUTCDate(), 2)}`;
}

/** Returns `text` if it is exactly 'YYYY-MM-DD' naming a real calendar day; throws InvalidDateError otherwise. */
export function parseRunDate(text: string): string {
  // Date rolls impossible days over (02-30 becomes 03-01), so a round trip that changes the text means no such day.
  if (!RUN_DATE_SHAPE.test(text) || dateOfDayNumber(dayNumber(text)) !== text) {
    throw new InvalidDateError(`${JSON.stringify(text)} is not a valid date: expected YYYY-MM-DD, a real calendar day (for example 2024-01-15)`);
  }
  return text;
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  return dateOfDayNumber(dayNumber(parseRunDate(date)) + days);
}

/** Every date from `from` to `to`, both included, in order. */
export function datesBetween(from: string, to: string): string[] {
  const first = dayNumber(parseRunDate(from));
  const last = dayNumber(parseRunDate(to));
  if (first > last) {
    throw new InvalidDateError(`date range ${from} to ${to} is reversed: the start must not be after the end`);
  }
  return Array.from({ length: last - first + 1 }, (_, index) => dateOfDayNumber(first + index));
}

export interface TemplateValues {
  date: string;
}

const placeholderValues = new Map<string, (values: TemplateValues) => string>([
  ['date', ({ date }) => date],
  ['date_nodash', ({ date }) => date.replaceAll('-', '')],
]);

/** `{{name}}`, spaces inside the braces allowed; the config loader reads its own placeholders the same way. */
export const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders a run replaces in the config's per-run texts (Glue arguments, the COPY source). */
export const runPlaceholderNames: readonly string[] = [...placeholderValues.keys()];

const knownPlaceholders = runPlaceholderNames.map((name) => `{{${name}}}`).join(', ');

/**
 * Replaces `{{date}}` (YYYY-MM-DD) and `{{date_nodash}}` (YYYYMMDD) in `text`.
 * Any other placeholder, or a stray "{{" / "}}", throws: a typo must never reach an S3 path or a Glue argument.
 */
export function renderTemplate(text: string, values: TemplateValues): string {
  parseRunDate(values.date);
  const rendered = text.replace(placeholderPattern, (placeholder, name: string) => {
    const value = placeholderValues.get(name);
    if (!value) {
      throw new InvalidTemplateError(`unknown placeholder ${placeholder} (known placeholders: ${knownPlaceholders})`);
    }
    return value(values);
  });
  // Replaced values are dates, so any braces left over were in the text and are not well-formed placeholders.
  const stray = /\{\{|\}\}/.exec(rendered);
  if (stray) {
    throw new InvalidTemplateError(`unmatched "${stray[0]}" (write placeholders as ${knownPlaceholders})`);
  }
  return rendered;
}
