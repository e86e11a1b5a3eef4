import { addDays, parseRunDate } from '../../../shared/dates';
import { parseInput, UsageError } from '../../errors';
import type { DateRange } from '../../operations/runHistory';

/** How many dates `etl status` shows when not told otherwise. */
export const defaultStatusDays = 14;
/** The longest range `etl status` shows at once. */
export const maxStatusDays = 366;

/**
 * The dates to show. Both given: exactly those. Neither: the 14 days ending yesterday (UTC), the last whole day,
 * which a scheduled run normally processes. Only --from: 14 days from it, but not past today. Only --to: the 14 days ending then.
 */
export function statusRange(options: { from?: string; to?: string }, today: string): DateRange {
  const parse = (date?: string) => (date === undefined ? undefined : parseInput(() => parseRunDate(date)));
  const from = parse(options.from);
  const given = parse(options.to);
  const span = defaultStatusDays - 1;
  const to = given ?? (from === undefined ? addDays(today, -1) : latest(from, earliest(addDays(from, span), today)));
  const first = from ?? addDays(to, -span);
  if (first > to) throw new UsageError(`--from ${first} is after --to ${to}: the range must start on or before its end`);
  if (addDays(first, maxStatusDays - 1) < to) {
    throw new UsageError(`${first} to ${to} is more than ${maxStatusDays} days: ask for a shorter range with --from and --to`);
  }
  return { from: first, to };
}

// 'YYYY-MM-DD' strings sort as the dates they name.
const earliest = (a: string, b: string) => (a < b ? a : b);
const latest = (a: string, b: string) => (a > b ? a : b);
