import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { PipelineActivities } from '../activities';
import type { BackfillInput, BackfillResult, RunningDate } from '../shared/backfill';
import { errorTypes } from '../shared/errorTypes';
import { pipelineWorkflowId } from '../shared/ids';
import { stepsOfKind } from '../shared/pipelineSteps';
import { runFailure } from '../shared/runFailure';
import { runSummary, type PipelineRunInput } from '../shared/pipelineRun';
import { backfillInSegments } from './backfillInSegments';
import { dateNotifications, finishBackfill, glueMaxConcurrentRuns, trackBackfill, type RefreshViews } from './backfillTally';
import { pipelineRunChild } from './pipeline';
import { refreshStep } from './waitingSteps';

export { backfillProgressQuery } from './backfillTally';

/** The one view refresh, waiting for its statement without holding a worker slot. */
const refreshViews: RefreshViews = (input, summary) => refreshStep(input, summary, () => undefined);

const { waitForPipelineRunsToClose } = proxyActivities<PipelineActivities>({
  // Each check is a few Temporal reads; it is repeated until a run has closed, and changes nothing. A run gone
  // from Temporal is reported as the date's failure, so no error is final.
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: [] },
  // Nothing outside to stop: cancelling only stops the waiting.
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/**
 * Runs the pipeline for each date as a `pipelineRun` run, keeping `concurrency` dates running (never more
 * than the Glue job allows), then refreshes the views once. A date that fails is reported, not fatal. When
 * Temporal suggests it (the history has grown long) it continues as new and carries the open runs along, so
 * no date waits for another.
 */
export async function backfillPipeline(input: BackfillInput): Promise<BackfillResult> {
  const { pipeline, dates } = input;
  // A continued run may have no dates left to start, only runs to wait for.
  if (!(input.concurrency >= 1) || (dates.length === 0 && !input.running)) {
    throw ApplicationFailure.nonRetryable('a backfill needs at least one date and a concurrency of at least 1', errorTypes.InvalidBackfillInput);
  }
  // Backfills begun before open runs were carried across continue-as-new replay as they ran.
  if (!patched('backfill-carries-open-runs')) return await backfillInSegments(input);

  /** Runs this workflow run started, still open: their results arrive as events. */
  const started = new Map<string, RunningDate>();
  /** Runs it did not start (carried over, or attached to), keyed by workflow id: checked until they close. */
  const watched = new Map<string, RunningDate>((input.running ?? []).map((run) => [run.workflowId, run]));
  let starting = 0;
  let cancelling = false;
  const running = () => starting + started.size + watched.size;
  const progress = trackBackfill(input, running);
  const lastDate = input.lastDate ?? dates[dates.length - 1];
  // Backfills begun before the summary notification replay as they ran: their dates notified each.
  const firstDate = patched('backfill-sends-summary') ? (input.firstDate ?? dates[0]) : undefined;
  const options: PipelineRunInput['options'] = { refreshViews: false, ...(firstDate !== undefined && { notify: dateNotifications(pipeline) }) };
  /** The check of the watched runs under way; a run attached to meanwhile makes it start again with that run. */
  let check: CancellationScope | undefined;

  // A cancel arriving meanwhile is seen at the next wait, where the backfill then cancels the runs it carried.
  const limit = await CancellationScope.nonCancellable(() => glueMaxConcurrentRuns(pipeline, input.concurrency));
  progress.setConcurrency(limit);
  progress.show();

  /** Starts the date's run and counts how it ends; when one is already open, watches that run instead. */
  async function startDate(date: string): Promise<void> {
    const workflowId = pipelineWorkflowId(pipeline.name, date);
    const runInput: PipelineRunInput = { pipeline, date, trigger: 'backfill', options };
    starting += 1;
    let child;
    try {
      // The run outlives this workflow run when the backfill continues as new (so it is abandoned, not
      // cancelled, when the parent closes); a cancelled backfill cancels it explicitly, once it has started.
      child = await CancellationScope.nonCancellable(() =>
        startChild(pipelineRunChild(), {
          workflowId,
          args: [runInput],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: runSummary(runInput),
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) progress.record(date, { outcome: 'failed', ...runFailure(err) });
      else {
        progress.tally.attached += 1;
        watched.set(workflowId, { date, workflowId, attached: true });
        check?.cancel();
      }
      return;
    } finally {
      starting -= 1;
    }
    started.set(workflowId, { date, workflowId, runId: child.firstExecutionRunId, attached: false });
    try {
      await child.result();
      progress.record(date, { outcome: 'succeeded' });
    } catch (err) {
      // A cancelled backfill cancels its dates: they stay pending rather than count as failed.
      if (!(cancelling && isCancellation(err))) progress.record(date, { outcome: 'failed', ...runFailure(err) });
    } finally {
      started.delete(workflowId);
    }
  }

  const checkEvery = stepsOfKind(pipeline, 'glue')[0]?.pollInterval ?? '30s';
  /** Counts how each watched run ends, as often as the pipeline checks its (first) Glue run. */
  async function watchRuns(): Promise<void> {
    for (;;) {
      await condition(() => watched.size > 0);
      const runs = [...watched.values()].map(({ workflowId, runId }) => ({ workflowId, runId }));
      const scope = (check = new CancellationScope());
      let closed;
      try {
        closed = await scope.run(() => waitForPipelineRunsToClose({ runs, pollInterval: checkEvery }));
      } catch (err) {
        if (isCancellation(err)) continue;
        throw err;
      } finally {
        check = undefined;
      }
      for (const { workflowId, end } of closed) {
        const run = watched.get(workflowId);
        if (!run) continue; // no longer waited for: the backfill was cancelled meanwhile
        watched.delete(workflowId);
        if (!cancelling || end.outcome === 'succeeded') progress.record(run.date, end);
      }
    }
  }

  /** Asks every open run the backfill started (in this workflow run or an earlier one) to cancel, and waits until they have. */
  async function cancelOpenDates(): Promise<void> {
    cancelling = true;
    await condition(() => starting === 0);
    // A run the backfill attached to belongs to whoever started it: the backfill only stops waiting.
    for (const run of watched.values()) if (run.attached) watched.delete(run.workflowId);
    check?.cancel();
    const ours = [...started.values(), ...watched.values()];
    await Promise.all(
      // A run that closed meanwhile cannot be cancelled: the next check counts how it ended.
      ours.map(({ workflowId, runId }) =>
        getExternalWorkflowHandle(workflowId, runId)
          .cancel()
          .catch(() => undefined),
      ),
    );
    // They stop their Glue runs and Redshift statements before the backfill reports cancelled.
    await condition(() => running() === 0);
  }

  // Watching goes on while a cancelled backfill waits for its runs to stop.
  void CancellationScope.nonCancellable(watchRuns);
  let next = 0;
  try {
    for (;;) {
      await condition(() => workflowInfo().continueAsNewSuggested || (next < dates.length ? running() < limit : running() === 0));
      if (next === dates.length && running() === 0) return await finishBackfill(pipeline, { firstDate, lastDate }, progress.tally, limit, refreshViews);
      if (workflowInfo().continueAsNewSuggested) break;
      void startDate(dates[next++]);
    }
    await condition(() => starting === 0);
  } catch (err) {
    if (isCancellation(err)) await CancellationScope.nonCancellable(cancelOpenDates);
    throw err;
  }
  return await continueAsNew<typeof backfillPipeline>({
    ...input,
    dates: dates.slice(next),
    carried: progress.tally,
    running: [...started.values(), ...watched.values()],
    lastDate,
    ...(firstDate !== undefined && { firstDate }),
  });
}
