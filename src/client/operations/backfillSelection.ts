import { isUnsuccessful, type DateOutcome } from '../../shared/runOutcome';

/** Which dates of the range a backfill runs: every one, those whose last run did not succeed, or those never run. */
export const backfillSelections = ['all', 'failed', 'missing'] as const;
export type BackfillSelection = (typeof backfillSelections)[number];

/** Whether `only` selects a date with this outcome. A latest run that closed without succeeding counts as failed. */
export function selects(only: BackfillSelection, outcome: DateOutcome): boolean {
  // A date whose scheduled run skipped it never ran either.
  if (only === 'missing') return outcome === 'neverRan' || outcome === 'skipped';
  return only === 'all' || isUnsuccessful(outcome);
}
