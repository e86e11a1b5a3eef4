import { columnCheck } from '../../src/activities/validation/contract';

const check = (type: string, value: string, nullable = false) => {
  const bytes = Buffer.from(value);
  const { empty, value: checkValue } = columnCheck({ name: 'c', type, nullable });
  return bytes.length === 0 ? empty : checkValue?.(bytes, 0, bytes.length);
};

describe('columnCheck', () => {
  it('treats an empty field as null: fine when nullable, an error otherwise', () => {
    expect(check('string', '', true)).toBeUndefined();
    expect(check('integer', '', true)).toBeUndefined();
    expect(check('string', '')).toBe('empty value in a column that is not nullable');
  });

  it.each(['hello', ' spaced ', 'a,b', 'línea\nnueva'])('accepts any string: %j', (value) => {
    expect(check('string', value)).toBeUndefined();
  });

  it.each(['0', '42', '-7', '+7', '007', '9223372036854775807', '-9223372036854775808'])('accepts the integer %s', (value) =>
    expect(check('integer', value)).toBeUndefined(),
  );

  it.each([
    ['1.5', 'not an integer'],
    ['1e3', 'not an integer'],
    [' 1', 'not an integer'],
    ['abc', 'not an integer'],
    ['9223372036854775808', 'integer out of the 64-bit range'],
  ])('rejects the integer %j', (value, reason) => expect(check('integer', value)).toBe(reason));

  it.each(['129.99', '15.5', '0', '-0.01', '+3', '.5', '5.', '0000000000000001234567890123456.78'])('accepts the decimal(18,2) %s', (value) =>
    expect(check('decimal(18,2)', value)).toBeUndefined(),
  );

  it.each([
    ['1.234', 'more than 2 digit(s) after the decimal point for decimal(18,2)'],
    ['12345678901234567', 'more than 16 digit(s) before the decimal point for decimal(18,2)'],
    ['1,5', 'not a decimal(18,2) number'],
    ['1e5', 'not a decimal(18,2) number'],
    ['.', 'not a decimal(18,2) number'],
    ['-', 'not a decimal(18,2) number'],
    ['12 EUR', 'not a decimal(18,2) number'],
  ])('rejects the decimal(18,2) %j', (value, reason) => expect(check('decimal(18,2)', value)).toBe(reason));

  it('applies precision and scale as declared', () => {
    expect(check('decimal(5,5)', '0.12345')).toBeUndefined();
    expect(check('decimal(5,5)', '1.2')).toBe('more than 0 digit(s) before the decimal point for decimal(5,5)');
    expect(check('decimal(3,0)', '999')).toBeUndefined();
    expect(check('decimal(3,0)', '9.9')).toBe('more than 0 digit(s) after the decimal point for decimal(3,0)');
  });

  it.each(['2024-01-15', '2024-02-29', '2000-02-29', '9999-12-31'])('accepts the date %s', (value) => {
    expect(check('date', value)).toBeUndefined();
  });

  it.each([
    ['2024-02-30', 'no such date'],
    ['2023-02-29', 'no such date'],
    ['1900-02-29', 'no such date'],
    ['2024-04-31', 'no such date'],
    ['2024-13-01', 'no such date'],
    ['2024-00-10', 'no such date'],
    ['2024-1-5', 'not a date (expected YYYY-MM-DD)'],
    ['15/01/2024', 'not a date (expected YYYY-MM-DD)'],
    ['2024-01-15T00:00:00Z', 'not a date (expected YYYY-MM-DD)'],
  ])('rejects the date %j', (value, reason) => expect(check('date', value)).toBe(reason));

  it.each([
    '2024-01-15T08:12:00Z',
    '2024-01-15 09:03:44',
    '2024-01-15 09:03:44.123',
    '2024-01-15T09:03:44.123456+05:30',
    '2024-01-15T09:03:44-0800',
    '2024-01-15T09:03:44+01',
  ])('accepts the timestamp %s', (value) => expect(check('timestamp', value)).toBeUndefined());

  it.each([
    ['2024-01-15', 'not a timestamp'],
    ['2024-01-15T08:12', 'not a timestamp'],
    ['2024-01-15T08:12:00.1234567Z', 'not a timestamp'],
    ['2024-01-15 8:12:00', 'not a timestamp'],
    ['2024-02-30T08:12:00Z', 'no such date'],
    ['2024-01-15T24:00:00Z', 'no such time of day'],
    ['2024-01-15T23:60:00Z', 'no such time of day'],
    ['2024-01-15T23:00:00+15:00', 'no such time zone offset'],
  ])('rejects the timestamp %j', (value, reason) => expect(check('timestamp', value)).toMatch(reason));

  it.each(['true', 'FALSE', 'True', '1', '0', 't', 'F', 'yes', 'NO'])('accepts the boolean %s', (value) => {
    expect(check('boolean', value)).toBeUndefined();
  });

  it.each(['y', 'n', '2', 'truthy', 'on'])('rejects the boolean %j', (value) => {
    expect(check('boolean', value)).toBe('not a boolean (true/false, 1/0, t/f or yes/no)');
  });
});
