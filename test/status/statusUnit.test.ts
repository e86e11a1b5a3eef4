import { UsageError } from '../../src/client/errors';
import { statusRange } from '../../src/client/commands/status/range';
import { formatDuration } from '../../src/client/commands/status/output';

/** The pure parts of `etl status`: which dates it shows, and how durations read. */

const today = '2024-03-20';

test('without --from and --to it shows the 14 days ending yesterday', () => {
  expect(statusRange({}, today)).toEqual({ from: '2024-03-06', to: '2024-03-19' });
});

test('with only --from it shows 14 days from it, but not past today', () => {
  expect(statusRange({ from: '2024-03-01' }, today)).toEqual({ from: '2024-03-01', to: '2024-03-14' });
  expect(statusRange({ from: '2024-03-15' }, today)).toEqual({ from: '2024-03-15', to: today });
  expect(statusRange({ from: '2024-04-01' }, today)).toEqual({ from: '2024-04-01', to: '2024-04-01' });
});

test('with only --to it shows the 14 days ending then; with both, exactly that range', () => {
  expect(statusRange({ to: '2024-01-10' }, today)).toEqual({ from: '2023-12-28', to: '2024-01-10' });
  expect(statusRange({ from: '2023-03-21', to: '2024-03-20' }, today)).toEqual({ from: '2023-03-21', to: '2024-03-20' });
});

test('a bad date, a reversed range or more than 366 days is bad input', () => {
  expect(() => statusRange({ from: '2024-02-30' }, today)).toThrow(
    new UsageError('"2024-02-30" is not a valid date: expected YYYY-MM-DD, a real calendar day (for example 2024-01-15)'),
  );
  expect(() => statusRange({ from: '2024-03-10', to: '2024-03-01' }, today)).toThrow(
    new UsageError('--from 2024-03-10 is after --to 2024-03-01: the range must start on or before its end'),
  );
  expect(() => statusRange({ from: '2023-03-20', to: '2024-03-20' }, today)).toThrow(/is more than 366 days/);
});

test.each([
  [400, '<1s'],
  [45_000, '45s'],
  [72_000, '1m 12s'],
  [7_500_000, '2h 5m'],
])('%d ms reads as %s', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});
