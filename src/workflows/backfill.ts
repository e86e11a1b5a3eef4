import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  condition,
  continueAsNew,
  defineQuery,
  executeChild,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { PipelineActivities } from '../activities';
import type { PipelineConfig } from '../config/schema';
import type { BackfillInput, BackfillProgress, BackfillResult, BackfillTally, PipelineRunEnd, ViewsRefresh } from '../shared/backfill';
import { pipelineWorkflowId } from '../shared/ids';
import { runFailure } from '../shared/runFailure';
import { runSummary, type PipelineRunInput } from '../shared/pipelineRun';
import { dailyPipeline } from './pipeline';
import { stepOptions } from './stepOptions';

export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');

/** Dates started by one workflow run before it continues as new, so a range of years keeps each history small. */
const datesPerRun = 50;

const { glueMaxConcurrentRuns } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumAttempts: 5, nonRetryableErrorTypes: ['GlueJobNotFound'] },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

const { waitForPipelineRun } = proxyActivities<PipelineActivities>({
  // A run the backfill attached to takes as long as any run; waiting again after a timeout is harmless.
  startToCloseTimeout: '1d',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', maximumInterval: '1m', nonRetryableErrorTypes: ['WorkflowNotFoundError'] },
  // Nothing outside to stop: cancelling only stops the waiting.
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/**
 * Runs the pipeline for each date as a child `dailyPipeline`, at most `concurrency` at once (and never more
 * than the Glue job allows), then refreshes the views once. A date that fails is reported, not fatal.
 */
export async function backfillPipeline(input: BackfillInput): Promise<BackfillResult> {
  const { pipeline, dates } = input;
  if (!(input.concurrency >= 1) || dates.length === 0) {
    throw ApplicationFailure.nonRetryable('a backfill needs at least one date and a concurrency of at least 1', 'InvalidBackfillInput');
  }
  const tally: BackfillTally = input.carried ?? { total: dates.length, succeeded: 0, failed: 0, attached: 0, failures: [] };
  const running = new Map<string, Promise<void>>();
  let concurrency: number | undefined; // known once the Glue job has been read
  const progress = (): BackfillProgress => ({
    ...tally,
    running: running.size,
    pending: tally.total - tally.succeeded - tally.failed - running.size,
    concurrency,
  });
  setHandler(backfillProgressQuery, progress);
  const showProgress = () => {
    const { succeeded, failed, running, pending } = progress();
    setCurrentDetails(`**Backfill** of ${pipeline.name}: ${succeeded} succeeded, ${failed} failed, ${running} running, ${pending} pending`);
  };

  const limit = Math.min(input.concurrency, await glueMaxConcurrentRuns(pipeline));
  concurrency = limit;

  async function runDate(date: string): Promise<void> {
    try {
      const end = await runOrAttach(date);
      if (end.outcome === 'succeeded') tally.succeeded += 1;
      else {
        tally.failed += 1;
        tally.failures.push({ date, ...(end.step && { step: end.step }), error: end.error });
      }
      showProgress();
    } catch (err) {
      // A cancelled backfill cancels its dates: they stay pending rather than count as failed.
      if (!isCancellation(err)) throw err;
    }
  }

  /** Starts the date's run; when one is already open, waits for that run instead of starting another. */
  async function runOrAttach(date: string): Promise<PipelineRunEnd> {
    const workflowId = pipelineWorkflowId(pipeline.name, date);
    try {
      const input: PipelineRunInput = { pipeline, date, trigger: 'backfill', options: { refreshViews: false } };
      await executeChild(dailyPipeline, {
        workflowId,
        args: [input],
        // Even a terminated backfill asks its runs to cancel, so they stop their Glue runs.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        staticSummary: runSummary(input),
      });
      return { outcome: 'succeeded' };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        tally.attached += 1;
        return await waitForPipelineRun({ workflowId });
      }
      if (isCancellation(err) && CancellationScope.current().consideredCancelled) throw err;
      return { outcome: 'failed', ...runFailure(err) };
    }
  }

  let next = 0;
  showProgress();
  try {
    while (next < dates.length && next < datesPerRun && !workflowInfo().continueAsNewSuggested) {
      await condition(() => running.size < limit);
      const date = dates[next++];
      running.set(date, runDate(date).finally(() => running.delete(date)));
    }
  } finally {
    // Runs end before this workflow run does: continuing as new must not cut them off, and a cancelled
    // backfill waits until they have stopped their Glue runs.
    await Promise.all(running.values());
  }
  if (next < dates.length) {
    return await continueAsNew<typeof backfillPipeline>({ ...input, dates: dates.slice(next), carried: tally });
  }

  const refresh = await refreshViewsOnce(pipeline, dates[dates.length - 1], tally);
  setCurrentDetails(`**Backfill finished** for ${pipeline.name}: ${tally.succeeded} succeeded, ${tally.failed} failed; views ${refresh.outcome}`);
  return { ...tally, concurrency: limit, refresh };
}

/** The one view refresh of a backfill, after its last date; a failed refresh is reported with the dates. */
async function refreshViewsOnce(pipeline: PipelineConfig, lastDate: string, tally: BackfillTally): Promise<ViewsRefresh> {
  if (tally.succeeded === 0) return { outcome: 'skipped', reason: 'no date succeeded' };
  const { refreshViews } = proxyActivities<PipelineActivities>(
    stepOptions(pipeline, 'refresh', `refresh ${pipeline.views.length} materialized view(s) once for the backfill`),
  );
  try {
    const { viewsRefreshed } = await refreshViews({ pipeline, date: lastDate });
    return { outcome: 'succeeded', viewsRefreshed };
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { outcome: 'failed', error: runFailure(err).error };
  }
}
