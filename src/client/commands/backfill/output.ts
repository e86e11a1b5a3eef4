import type { BackfillTally, DateFailure, ViewsRefresh } from '../../../shared/backfill';
import type { BackfillSelection } from '../../operations/backfillSelection';
import type { ClosedBackfill } from '../../operations/backfill';
import { outcomeLabel, outcomeWords } from '../../outcomeWords';
import type { LatestDateRun } from '../../operations/runHistory';
import type { CostEstimate } from '../../operations/runCost';
import { formatCost } from '../../../shared/glueCost';

/** Why the backfill runs the date, from its latest run: "failed at load (last run ended 2024-06-01T10:22:31Z)". */
export function plannedReason(only: BackfillSelection, run: LatestDateRun): string {
  return only === 'all' ? `requested; ${lastRun(run)}` : lastRun(run);
}

function lastRun(run: LatestDateRun): string {
  const { outcome, step, closeTime } = run;
  if (outcome === 'running') return `running now${step ? ` at ${step}` : ''}: the backfill waits for that run`;
  return `${outcomeLabel(run)}${closeTime ? ` (last run ended ${closeTime.toISOString().replace(/\.\d+Z$/, 'Z')})` : ''}`;
}

/** "Estimated Glue cost: 1.16 USD, 3 date(s) at 0.39 USD, the average of the latest 10 succeeded backfill runs." */
export function costEstimateLine(pipeline: string, dates: number, estimate: CostEstimate | undefined): string {
  if (!estimate) return `Estimated Glue cost: unknown, no succeeded run of ${pipeline} has recorded its cost yet.`;
  const runs = `the latest ${estimate.fromRuns} succeeded ${estimate.trigger ? `${estimate.trigger} ` : ''}run(s)`;
  return `Estimated Glue cost: ${formatCost(estimate.total)}, ${dates} date(s) at ${formatCost(estimate.perDate)}, the average of ${runs}.`;
}

/** The one command that reruns just the failed dates: their span, with `--only failed`. */
export function rerunFailedCommand(pipeline: string, failures: DateFailure[], configDir?: string): string | undefined {
  if (failures.length === 0) return undefined;
  const dates = failures.map((failure) => failure.date).sort();
  const config = configDir ? ` --config-dir ${JSON.stringify(configDir)}` : '';
  return `etl backfill --pipeline ${pipeline} --from ${dates[0]} --to ${dates[dates.length - 1]} --only failed${config}`;
}

/** What `etl backfill --wait` prints once the backfill has closed. */
export function summaryLines(pipeline: string, outcome: ClosedBackfill, requestedConcurrency: number, rerun?: string): string[] {
  const tally: BackfillTally | undefined = outcome.outcome === 'succeeded' ? outcome.result : outcome.progress;
  const lines: string[] = [];
  if (outcome.outcome === 'succeeded') {
    const { result } = outcome;
    lines.push(`Backfill finished: ${tallyText(result)}.`);
    if (result.concurrency < requestedConcurrency) {
      lines.push(`Ran ${result.concurrency} date(s) at once, not ${requestedConcurrency}: the Glue job's MaxConcurrentRuns allows no more.`);
    }
    lines.push(refreshLine(pipeline, result.refresh, result.failures));
  } else {
    lines.push(`Backfill ${outcomeWords[outcome.outcome]}: ${outcome.error}`);
    if (tally) lines.push(`Before it stopped: ${tallyText(tally)}.`);
  }
  if (tally?.failures.length) {
    lines.push('Failed dates:');
    const sorted = [...tally.failures].sort((a, b) => a.date.localeCompare(b.date));
    for (const { date, step, error } of sorted) lines.push(`  ${date}  ${(step ?? '-').padEnd(8)}  ${error.replace(/\n/g, '\n    ')}`);
  }
  if (rerun) lines.push('Rerun just the failed dates:', `  ${rerun}`);
  return lines;
}

function tallyText({ total, succeeded, failed, attached }: BackfillTally): string {
  const waited = attached ? ` (${attached} waited for a run already open)` : '';
  return `${succeeded} of ${total} date(s) succeeded, ${failed} failed${waited}`;
}

function refreshLine(pipeline: string, refresh: ViewsRefresh, failures: DateFailure[]): string {
  if (refresh.outcome === 'succeeded') {
    return refresh.viewsRefreshed.length ? `Views refreshed once: ${refresh.viewsRefreshed.join(', ')}` : 'No views to refresh.';
  }
  if (refresh.outcome === 'skipped') return `Views not refreshed: ${refresh.reason}.`;
  const retry = failures.length ? 'rerunning the failed dates refreshes them' : `\`etl run --pipeline ${pipeline} --date <any date>\` refreshes them`;
  return `Views NOT refreshed: ${refresh.error} (${retry}).`;
}
