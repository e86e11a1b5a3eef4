// Which date a scheduled run processes. Bundled into workflow code: pure and deterministic, no clock.
// Intl.DateTimeFormat's time zone data is the only outside input, and it is fixed for a given Node build.
import { addDays } from './dates';

/** The calendar day ('YYYY-MM-DD') of `instant` on a clock in `timeZone` (an IANA name such as "Europe/London"). */
export function calendarDayIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/**
 * The date a scheduled run processes: the day of its nominal scheduled time in the pipeline's time zone,
 * moved by `dateOffsetDays` (-1: the 08:00 run processes yesterday). The nominal time, not the clock, so a
 * run that starts late or is caught up after an outage processes the date it was scheduled for.
 */
export function scheduledDate(scheduledTime: Date, schedule: { timezone: string; dateOffsetDays: number }): string {
  return addDays(calendarDayIn(scheduledTime, schedule.timezone), schedule.dateOffsetDays);
}
