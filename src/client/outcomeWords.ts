import type { DateOutcome } from '../shared/runOutcome';

/** How each outcome reads in tables and sentences, in the order the status summary counts them. */
export const outcomeWords: Record<DateOutcome, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  running: 'running',
  cancelled: 'cancelled',
  terminated: 'terminated',
  timedOut: 'timed out',
  skipped: 'skipped',
  neverRan: 'never ran',
};

/** A date's latest run with the step it ended at or is in: "failed at load", "running at glue", "succeeded", "never ran". */
export function outcomeLabel({ outcome, step }: { outcome: DateOutcome; step?: string }): string {
  if (!step || outcome === 'succeeded' || outcome === 'neverRan') return outcomeWords[outcome];
  return `${outcomeWords[outcome]} at ${step}`;
}
