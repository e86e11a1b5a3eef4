import { calendarDayIn, scheduledDate } from '../../src/shared/scheduledDate';

/** The date a run processes when it was scheduled for `instant` (UTC, ISO) in `timezone`, with the sample's -1 offset. */
const processes = (instant: string, timezone: string, dateOffsetDays = -1) => scheduledDate(new Date(instant), { timezone, dateOffsetDays });

describe('the calendar day of an instant on a clock in the pipeline’s time zone', () => {
  test.each([
    // America/New_York springs forward on 2024-03-10 (02:00 EST -> 03:00 EDT) ...
    ['2024-03-10T04:59:59Z', 'America/New_York', '2024-03-09'], // 23:59:59 EST
    ['2024-03-10T05:00:00Z', 'America/New_York', '2024-03-10'], // 00:00 EST
    ['2024-03-10T07:30:00Z', 'America/New_York', '2024-03-10'], // 03:30 EDT: 02:30 never happened
    ['2024-03-11T03:59:59Z', 'America/New_York', '2024-03-10'], // 23:59:59 EDT, the day was 23 hours long
    ['2024-03-11T04:00:00Z', 'America/New_York', '2024-03-11'],
    // ... and falls back on 2024-11-03 (02:00 EDT -> 01:00 EST): 01:30 happens twice, on the same day.
    ['2024-11-03T03:59:59Z', 'America/New_York', '2024-11-02'],
    ['2024-11-03T05:30:00Z', 'America/New_York', '2024-11-03'], // 01:30 EDT
    ['2024-11-03T06:30:00Z', 'America/New_York', '2024-11-03'], // 01:30 EST
    ['2024-11-04T04:59:59Z', 'America/New_York', '2024-11-03'], // 23:59:59 EST, the day was 25 hours long
    // Europe/London: BST from 2024-03-31 01:00 UTC to 2024-10-27 01:00 UTC.
    ['2024-03-30T23:59:59Z', 'Europe/London', '2024-03-30'],
    ['2024-03-31T23:00:00Z', 'Europe/London', '2024-04-01'], // midnight BST
    ['2024-10-26T23:00:00Z', 'Europe/London', '2024-10-27'], // midnight BST, the last one of the year
    ['2024-10-27T23:59:59Z', 'Europe/London', '2024-10-27'], // 23:59:59 GMT
    // Australia/Sydney, southern hemisphere: AEDT (+11) ends 2024-04-07, starts again 2024-10-06.
    ['2024-04-06T12:59:59Z', 'Australia/Sydney', '2024-04-06'],
    ['2024-04-06T13:00:00Z', 'Australia/Sydney', '2024-04-07'], // midnight AEDT
    ['2024-10-05T14:00:00Z', 'Australia/Sydney', '2024-10-06'], // midnight AEST
    ['2024-10-06T12:59:59Z', 'Australia/Sydney', '2024-10-06'], // 23:59:59 AEDT, a 23-hour day
    // Asia/Kolkata is UTC+05:30: the day turns at 18:30 UTC.
    ['2024-12-31T18:29:59Z', 'Asia/Kolkata', '2024-12-31'],
    ['2024-12-31T18:30:00Z', 'Asia/Kolkata', '2025-01-01'],
    // Pacific/Kiritimati is UTC+14: already tomorrow for most of the UTC day.
    ['2024-02-28T09:59:59Z', 'Pacific/Kiritimati', '2024-02-28'],
    ['2024-02-28T10:00:00Z', 'Pacific/Kiritimati', '2024-02-29'],
    ['2023-12-31T10:00:00Z', 'Pacific/Kiritimati', '2024-01-01'],
    ['2024-06-30T23:59:59Z', 'UTC', '2024-06-30'],
  ])('%s in %s is on %s', (instant, timezone, day) => {
    expect(calendarDayIn(new Date(instant), timezone)).toBe(day);
  });
});

describe('the date a scheduled run processes', () => {
  test('the 08:00 run processes yesterday', () => {
    expect(processes('2024-01-16T08:00:00Z', 'UTC')).toBe('2024-01-15');
  });

  test('the offset is counted in calendar days of the pipeline’s time zone', () => {
    // 08:00 in New York on the DST days, and 00:30 on the day after (05:30 UTC).
    expect(processes('2024-03-10T12:00:00Z', 'America/New_York')).toBe('2024-03-09');
    expect(processes('2024-11-03T13:00:00Z', 'America/New_York')).toBe('2024-11-02');
    expect(processes('2024-11-04T05:30:00Z', 'America/New_York')).toBe('2024-11-03');
    // The same instant, 22:30 on 2024-03-09 in New York, is already 2024-03-10 in Kolkata and Kiritimati.
    expect(processes('2024-03-10T03:30:00Z', 'America/New_York')).toBe('2024-03-08');
    expect(processes('2024-03-10T03:30:00Z', 'Asia/Kolkata')).toBe('2024-03-09');
    expect(processes('2024-03-10T03:30:00Z', 'Pacific/Kiritimati')).toBe('2024-03-09');
  });

  test.each([
    ['2025-01-01T08:00:00Z', -1, '2024-12-31'], // year end
    ['2024-03-01T08:00:00Z', -1, '2024-02-29'], // leap year
    ['2023-03-01T08:00:00Z', -1, '2023-02-28'],
    ['2024-05-01T08:00:00Z', -1, '2024-04-30'], // month end
    ['2024-01-03T08:00:00Z', -7, '2023-12-27'],
    ['2024-02-29T08:00:00Z', 0, '2024-02-29'], // the same day
    ['2024-12-31T23:59:59Z', 0, '2024-12-31'],
  ])('scheduled %s with offset %i processes %s', (instant, offset, date) => {
    expect(processes(instant, 'UTC', offset)).toBe(date);
  });

  test('a run caught up days later still processes the date of its scheduled time', () => {
    // Scheduled for 2024-12-31 08:00 in Sydney (21:00 UTC the day before), started whenever it is.
    expect(processes('2024-12-30T21:00:00Z', 'Australia/Sydney')).toBe('2024-12-30');
  });
});
