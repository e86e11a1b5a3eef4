import { InvalidDateError, InvalidTemplateError, addDays, datesBetween, parseRunDate, renderTemplate } from '../../src/shared/dates';

describe('parseRunDate', () => {
  test.each(['2024-01-15', '2024-02-29', '2000-02-29', '1999-12-31', '2024-12-31'])('accepts %s', (text) => {
    expect(parseRunDate(text)).toBe(text);
  });

  test.each([
    ['a day past the end of the month', '2024-02-30'],
    ['February 29 outside a leap year', '2023-02-29'],
    ['February 29 in a century that is not a leap year', '1900-02-29'],
    ['month 13', '2024-13-01'],
    ['month 00', '2024-00-10'],
    ['day 00', '2024-01-00'],
    ['leading space', ' 2024-01-15'],
    ['trailing newline', '2024-01-15\n'],
    ['unpadded month and day', '2024-1-5'],
    ['no dashes', '20240115'],
    ['a timestamp', '2024-01-15T00:00:00Z'],
    ['an empty string', ''],
  ])('rejects %s', (_kind, text) => {
    expect(() => parseRunDate(text)).toThrow(InvalidDateError);
  });

  test('says what was wrong and what a valid date looks like', () => {
    expect(() => parseRunDate('2024-02-30')).toThrow('"2024-02-30" is not a valid date: expected YYYY-MM-DD, a real calendar day (for example 2024-01-15)');
  });
});

describe('addDays', () => {
  test.each([
    ['2024-01-15', 1, '2024-01-16'],
    ['2024-01-31', 1, '2024-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2024-01-01', -1, '2023-12-31'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-01-15', 0, '2024-01-15'],
    ['2024-01-01', 366, '2025-01-01'],
  ])('%s %+d days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  test('rejects an invalid date', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow(InvalidDateError);
  });

  test('rejects a fractional number of days', () => {
    expect(() => addDays('2024-01-15', 0.5)).toThrow('days must be a whole number, got 0.5');
  });
});

describe('datesBetween', () => {
  test('lists every date from the first to the last, both included', () => {
    expect(datesBetween('2024-02-27', '2024-03-02')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
  });

  test('a range of one day is that day', () => {
    expect(datesBetween('2024-01-15', '2024-01-15')).toEqual(['2024-01-15']);
  });

  test('crosses a year boundary', () => {
    expect(datesBetween('2023-12-30', '2024-01-02')).toEqual(['2023-12-30', '2023-12-31', '2024-01-01', '2024-01-02']);
  });

  test('refuses a reversed range, naming both ends', () => {
    expect(() => datesBetween('2024-01-10', '2024-01-05')).toThrow(InvalidDateError);
    expect(() => datesBetween('2024-01-10', '2024-01-05')).toThrow('date range 2024-01-10 to 2024-01-05 is reversed: the start must not be after the end');
  });

  test('refuses an invalid end date', () => {
    expect(() => datesBetween('2024-01-10', '2024-02-30')).toThrow('"2024-02-30" is not a valid date');
  });
});

describe('renderTemplate', () => {
  test('replaces {{date}} and {{date_nodash}} everywhere they appear', () => {
    expect(
      renderTemplate('s3://lake/processed/orders/order_date={{date}}/part-{{date_nodash}}-{{date}}', {
        date: '2024-01-15',
      }),
    ).toBe('s3://lake/processed/orders/order_date=2024-01-15/part-20240115-2024-01-15');
  });

  test('allows spaces inside the braces', () => {
    expect(renderTemplate('{{ date }}', { date: '2024-01-15' })).toBe('2024-01-15');
  });

  test('leaves text without placeholders unchanged', () => {
    expect(renderTemplate('--enable-metrics', { date: '2024-01-15' })).toBe('--enable-metrics');
  });

  test('refuses an unknown placeholder, naming the known ones', () => {
    expect(() => renderTemplate('s3://lake/{{dat}}/', { date: '2024-01-15' })).toThrow(
      new InvalidTemplateError('unknown placeholder {{dat}} (known placeholders: {{date}}, {{date_nodash}})'),
    );
  });

  test('refuses names inherited by every JavaScript object', () => {
    expect(() => renderTemplate('{{constructor}}', { date: '2024-01-15' })).toThrow(InvalidTemplateError);
  });

  test.each(['{{date}', '{date}}', '{{date}}}}', '{{}}'])('refuses the malformed placeholder in %s', (text) => {
    expect(() => renderTemplate(text, { date: '2024-01-15' })).toThrow(InvalidTemplateError);
  });

  test('refuses an invalid date', () => {
    expect(() => renderTemplate('{{date}}', { date: '2024-13-01' })).toThrow(InvalidDateError);
  });
});
