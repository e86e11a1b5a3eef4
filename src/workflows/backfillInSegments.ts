import {
  ActivityCancellationType,
  CancellationScope,
  ParentClosePolicy,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { PipelineActivities } from '../activities';
import { refreshInput } from '../shared/activityInputs';
import type { BackfillInput, BackfillResult, PipelineRunEnd } from '../shared/backfill';
import { errorTypes } from '../shared/errorTypes';
import { pipelineWorkflowId } from '../shared/ids';
import { runFailure } from '../shared/runFailure';
import { runSummary, type PipelineRunInput } from '../shared/pipelineRun';
import type { backfillPipeline } from './backfill';
import { finishBackfill, glueMaxConcurrentRuns, trackBackfill, type RefreshViews } from './backfillTally';
import { pipelineRunChild } from './pipeline';
import { stepOptions } from './stepOptions';

/**
 * How backfills ran before they carried open dates across continue-as-new, kept so that the runs begun then
 * replay as they ran: segments of 50 dates, each waited for whole, its runs children that a closing segment
 * asks to cancel. Delete it once no backfill started before the change is open (see the README's patch policy).
 */

const datesPerRun = 50;

const { waitForPipelineRun } = proxyActivities<PipelineActivities>({
  // A run the backfill attached to takes as long as any run; waiting again after a timeout is harmless.
  startToCloseTimeout: '1d',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', maximumInterval: '1m', nonRetryableErrorTypes: [errorTypes.WorkflowNotFoundError] },
  // Nothing outside to stop: cancelling only stops the waiting.
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/** The one view refresh, in one activity that waits for its statement. */
const refreshViews: RefreshViews = (input, summary) =>
  proxyActivities<PipelineActivities>(stepOptions(input.step, summary)).refreshViews(refreshInput(input.pipeline, input.step.views, input.date));

export async function backfillInSegments(input: BackfillInput): Promise<BackfillResult> {
  const { pipeline, dates } = input;
  const running = new Map<string, Promise<void>>();
  const progress = trackBackfill(input, () => running.size);
  const { tally } = progress;

  const limit = await glueMaxConcurrentRuns(pipeline, input.concurrency);
  progress.setConcurrency(limit);

  async function runDate(date: string): Promise<void> {
    try {
      progress.record(date, await runOrAttach(date));
    } catch (err) {
      if (!isCancellation(err)) throw err;
    }
  }

  async function runOrAttach(date: string): Promise<PipelineRunEnd> {
    const workflowId = pipelineWorkflowId(pipeline.name, date);
    try {
      const input: PipelineRunInput = { pipeline, date, trigger: 'backfill', options: { refreshViews: false } };
      await executeChild(pipelineRunChild(), {
        workflowId,
        args: [input],
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
  progress.show();
  try {
    while (next < dates.length && next < datesPerRun && !workflowInfo().continueAsNewSuggested) {
      await condition(() => running.size < limit);
      const date = dates[next++];
      running.set(
        date,
        runDate(date).finally(() => running.delete(date)),
      );
    }
  } finally {
    await Promise.all(running.values());
  }
  if (next < dates.length) {
    return await continueAsNew<typeof backfillPipeline>({ ...input, dates: dates.slice(next), carried: tally });
  }
  return await finishBackfill(pipeline, { lastDate: dates[dates.length - 1] }, tally, limit, refreshViews);
}
