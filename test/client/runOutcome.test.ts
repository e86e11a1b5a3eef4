import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { outcomeLine } from '../../src/client/commands/run/output';
import { plannedReason, summaryLines } from '../../src/client/commands/backfill/output';
import type { LatestDateRun } from '../../src/client/operations/runHistory';
import { statusGrid } from '../../src/client/commands/status/output';
import { runOutcome, type DateOutcome } from '../../src/shared/runOutcome';
import { searchAttributes } from '../../src/shared/searchAttributes';

/** A run's outcome is an identifier in data and `--json`; the printers word it. */

const described = (status: WorkflowExecutionStatusName, recorded?: string) => ({
  status: { code: 0, name: status },
  typedSearchAttributes: new TypedSearchAttributes(recorded ? [{ key: searchAttributes.outcome, value: recorded }] : []),
});

test.each<[WorkflowExecutionStatusName, DateOutcome]>([
  ['RUNNING', 'running'],
  ['COMPLETED', 'succeeded'],
  ['FAILED', 'failed'],
  ['CANCELLED', 'cancelled'],
  ['TERMINATED', 'terminated'],
  ['TIMED_OUT', 'timedOut'],
  // Its successor is the latest run, and it is open.
  ['CONTINUED_AS_NEW', 'running'],
])('a run Temporal describes as %s is %s', (status, outcome) => {
  expect(runOutcome(described(status))).toBe(outcome);
});

test('a scheduled run that skipped its date completes, and is skipped', () => {
  expect(runOutcome(described('COMPLETED', 'skipped'))).toBe('skipped');
  expect(runOutcome(described('COMPLETED', 'succeeded'))).toBe('succeeded');
});

const closeTime = new Date('2024-06-01T10:22:31.250Z');
const rows: LatestDateRun[] = [
  { date: '2024-05-01', outcome: 'succeeded', step: 'notify', trigger: 'schedule', closeTime },
  { date: '2024-05-02', outcome: 'failed', step: 'load', trigger: 'schedule', closeTime },
  { date: '2024-05-03', outcome: 'running', step: 'glue', trigger: 'manual' },
  { date: '2024-05-04', outcome: 'cancelled', step: 'glue', trigger: 'manual', closeTime },
  { date: '2024-05-05', outcome: 'terminated', step: 'validate', trigger: 'backfill', closeTime },
  { date: '2024-05-06', outcome: 'timedOut', step: 'glue', trigger: 'backfill', closeTime },
  { date: '2024-05-07', outcome: 'skipped', trigger: 'schedule', closeTime },
  { date: '2024-05-08', outcome: 'neverRan' },
];

test('etl status words each outcome, with the step it ended at or is in', () => {
  const grid = statusGrid('orders', rows, new Date('2024-06-02T00:00:00Z'));
  expect(grid.slice(1, -1).map((line) => line.split(/ {2,}/)[1])).toEqual([
    'succeeded',
    'failed at load',
    'running at glue',
    'cancelled at glue',
    'terminated at validate',
    'timed out at glue',
    'skipped',
    'never ran',
  ]);
  expect(grid[grid.length - 1]).toBe(
    'orders 2024-05-01 to 2024-05-08: 1 succeeded, 1 failed, 1 running, 1 cancelled, 1 terminated, 1 timed out, 1 skipped, 1 never ran',
  );
});

test('a backfill dry run words why it runs each date', () => {
  expect(rows.map((run) => plannedReason('failed', run))).toEqual([
    'succeeded (last run ended 2024-06-01T10:22:31Z)',
    'failed at load (last run ended 2024-06-01T10:22:31Z)',
    'running now at glue: the backfill waits for that run',
    'cancelled at glue (last run ended 2024-06-01T10:22:31Z)',
    'terminated at validate (last run ended 2024-06-01T10:22:31Z)',
    'timed out at glue (last run ended 2024-06-01T10:22:31Z)',
    'skipped (last run ended 2024-06-01T10:22:31Z)',
    'never ran',
  ]);
  expect(plannedReason('all', rows[7])).toBe('requested; never ran');
});

test('a run or backfill that timed out says so in words', () => {
  expect(outcomeLine({ outcome: 'timedOut', error: 'Workflow execution timed out' })).toBe('Run timed out: Workflow execution timed out');
  expect(summaryLines('orders', { outcome: 'timedOut', error: 'Workflow execution timed out' }, 3)).toEqual(['Backfill timed out: Workflow execution timed out']);
});
