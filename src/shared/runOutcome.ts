import type { WorkflowExecutionInfo, WorkflowExecutionStatusName } from '@temporalio/client';
import { searchAttributes } from './searchAttributes';

/** How a closed run that did not succeed ended: the runs `etl backfill --only failed` runs again. */
export const unsuccessfulOutcomes = ['failed', 'cancelled', 'terminated', 'timedOut'] as const;
export type UnsuccessfulOutcome = (typeof unsuccessfulOutcomes)[number];

/**
 * How a run stands, in the identifiers `--json` prints (printers word them). 'skipped': a scheduled run that
 * did not run its date because an earlier scheduled date still ran (overlap skip); it records that in EtlOutcome.
 */
export type RunOutcome = 'running' | 'succeeded' | UnsuccessfulOutcome | 'skipped';

/** A date's outcome: its latest run's, or 'neverRan' when no run has processed it. */
export type DateOutcome = RunOutcome | 'neverRan';

const byStatus: Record<WorkflowExecutionStatusName, RunOutcome> = {
  RUNNING: 'running',
  COMPLETED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timedOut',
  // A run that continued as new has a successor that is the latest one.
  CONTINUED_AS_NEW: 'running',
  PAUSED: 'running',
  UNSPECIFIED: 'running',
  UNKNOWN: 'running',
};

/**
 * The outcome of a run as Temporal describes it (`handle.describe()`) or lists it (`client.workflow.list()`):
 * its execution status, except that a scheduled run that skipped its date completes and says so in EtlOutcome.
 */
export function runOutcome(run: Pick<WorkflowExecutionInfo, 'status' | 'typedSearchAttributes'>): RunOutcome {
  if (run.typedSearchAttributes.get(searchAttributes.outcome) === 'skipped') return 'skipped';
  // A status newer than this SDK knows is not one that closed a run as far as we can tell.
  return byStatus[run.status.name] ?? 'running';
}

export function isUnsuccessful(outcome: DateOutcome): outcome is UnsuccessfulOutcome {
  return (unsuccessfulOutcomes as readonly string[]).includes(outcome);
}
