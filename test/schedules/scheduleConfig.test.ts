import { ConfigError, loadPipeline } from '../../src/config';
import { configDirWith, edit, lineOf, sampleOrdersSchedule, sampleOrdersYaml } from '../config/pipelineFiles';

function load(text: string) {
  return loadPipeline('orders', configDirWith({ 'orders.yaml': text }));
}

test('a schedule block with only a cron gets the documented defaults', () => {
  const text = edit(sampleOrdersYaml, sampleOrdersSchedule, 'schedule:\n  cron: "30 6 * * MON-FRI"\n\n');

  expect(load(text).schedule).toEqual({
    cron: '30 6 * * MON-FRI',
    timezone: 'UTC',
    dateOffsetDays: -1,
    overlap: 'buffer_all',
    catchupWindow: '1d',
    jitter: '0s',
    pauseOnFailure: false,
  });
});

test('every schedule key can be set', () => {
  const text = edit(
    sampleOrdersYaml,
    sampleOrdersSchedule,
    [
      'schedule:',
      '  cron: "@daily"',
      '  timezone: America/New_York',
      '  dateOffsetDays: 0',
      '  overlap: allow_all',
      '  catchupWindow: 6h',
      '  jitter: 5m',
      '  pauseOnFailure: true',
      '',
    ].join('\n'),
  );

  expect(load(text).schedule).toEqual({
    cron: '@daily',
    timezone: 'America/New_York',
    dateOffsetDays: 0,
    overlap: 'allow_all',
    catchupWindow: '6h',
    jitter: '5m',
    pauseOnFailure: true,
  });
});

test.each([
  ['overlap: skip', 'overlap: never', 'schedule.overlap', 'must be one of "buffer_all", "skip", "allow_all"'],
  ['cron: "0 8 * * *"', 'cron: "0 8 * *"', 'schedule.cron', 'must be a cron expression such as "0 8 * * *" (minute hour day month weekday)'],
  ['cron: "0 8 * * *"', 'cron: "every day at 8"', 'schedule.cron', 'must be a cron expression such as "0 8 * * *" (minute hour day month weekday)'],
  ['catchupWindow: 1d', 'catchupWindow: one day', 'schedule.catchupWindow', 'must be a duration such as "30s", "15m" or "2h"'],
  ['dateOffsetDays: -1', 'dateOffsetDays: 1', 'schedule.dateOffsetDays', 'must be at most 0'],
])('%s -> %s is reported at its line', (from, to, key, problem) => {
  const text = edit(sampleOrdersYaml, from, to);

  expect(() => load(text)).toThrow(ConfigError);
  expect(() => load(text)).toThrow(`orders.yaml:${lineOf(text, to)}: ${key}: ${problem}`);
});
