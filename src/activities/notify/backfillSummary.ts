import { backfillSucceeded, type BackfillTally, type ViewsRefresh } from '../../shared/backfill';
import { boundedMessage, runLines, subjectOf, type RunLocation } from './message';

/** A backfill's one notification: how its dates ended, and how to run the failed ones again. */
export interface BackfillSummaryInput {
  pipelineName: string;
  /** The failure topic when a date or the view refresh failed, else the success topic. */
  topicArn: string;
  /** The range's first and last date. */
  from: string;
  to: string;
  tally: BackfillTally;
  refresh: ViewsRefresh;
}

export function backfillSummarySubject(input: BackfillSummaryInput): string {
  const { tally } = input;
  const verdict = backfillSucceeded(input)
    ? `succeeded: ${tally.total} date(s)`
    : tally.failed
      ? `FAILED: ${tally.failed} of ${tally.total} date(s) failed`
      : 'FAILED: the view refresh failed';
  return subjectOf(`ETL ${input.pipelineName} backfill ${input.from}..${input.to} ${verdict}`);
}

/** The failed dates with their step and error (as many as fit in the message), the refresh, and the rerun command. */
export function backfillSummaryMessage(input: BackfillSummaryInput, run: RunLocation): string {
  const { pipelineName, tally } = input;
  const head = [
    `Pipeline: ${pipelineName}`,
    `Backfill: ${input.from} to ${input.to}, ${tally.total} date(s)`,
    `Succeeded: ${tally.succeeded}${tally.attached ? ` (${tally.attached} of the dates' runs were already open and were waited for)` : ''}`,
    `Failed: ${tally.failed}`,
    `Views: ${refreshText(input.refresh)}`,
  ];
  const tail = runLines(run);
  if (tally.failures.length) {
    const dates = tally.failures.map((failure) => failure.date).sort();
    tail.push(`Rerun the failed dates: etl backfill --pipeline ${pipelineName} --from ${dates[0]} --to ${dates.at(-1)} --only failed --wait`);
  }
  const failures = tally.failures.map(({ date, step, error }) => `${date}: failed${step ? ` at ${step}` : ''}: ${error.split('\n')[0]}`);
  return boundedMessage(head, failures, tail, (count) => `… ${count} more failed date(s): see the backfill in the Temporal UI`);
}

function refreshText(refresh: ViewsRefresh): string {
  switch (refresh.outcome) {
    case 'succeeded':
      return `refreshed ${refresh.viewsRefreshed.join(', ') || '(none configured)'}`;
    case 'failed':
      return `refresh FAILED: ${refresh.error}`;
    case 'skipped':
      return `not refreshed: ${refresh.reason}`;
  }
}
