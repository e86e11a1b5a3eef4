import { ActivityCancellationType, CancellationScope, defineQuery, isCancellation, log, proxyActivities, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import type { LegacyPipelineConfig, PipelineConfig, StepOf } from '../config/schema';
import {
  backfillSucceeded,
  type BackfillInput,
  type BackfillProgress,
  type BackfillResult,
  type BackfillTally,
  type PipelineRunEnd,
  type ViewsRefresh,
} from '../shared/backfill';
import { glueJobInput } from '../shared/activityInputs';
import { errorTypes } from '../shared/errorTypes';
import { runFailure } from '../shared/runFailure';
import type { RefreshResult } from '../shared/stepResults';
import { observeStep } from './lifecycle';
import { stepOptions } from './stepOptions';
import { pipelineSteps, stepsOfKind } from '../shared/pipelineSteps';
import type { StepDate } from './waitingSteps';

/** What every run of a backfill does around its dates: the Glue job's cap, the tally and its progress, the one view refresh. */

export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');

const backfillActivities = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumAttempts: 5, nonRetryableErrorTypes: [errorTypes.GlueJobNotFound] },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/** How many runs of the pipeline may overlap: as many as its Glue jobs allow (each has its own cap), else `concurrency`. */
export async function glueMaxConcurrentRuns(pipeline: PipelineConfig | LegacyPipelineConfig, concurrency: number): Promise<number> {
  let cap = concurrency;
  for (const glue of stepsOfKind(pipeline, 'glue')) {
    cap = Math.min(cap, await backfillActivities.glueMaxConcurrentRuns(glueJobInput(glue)));
  }
  return cap;
}

/** The tally carried over (or a fresh one), answering the progress query and shown as the run's current details. */
export function trackBackfill(input: BackfillInput, running: () => number) {
  const { pipeline, dates } = input;
  const tally: BackfillTally = input.carried ?? { total: dates.length, succeeded: 0, failed: 0, attached: 0, failures: [] };
  let concurrency: number | undefined; // known once the Glue job has been read
  const progress = (): BackfillProgress => ({
    ...tally,
    running: running(),
    pending: tally.total - tally.succeeded - tally.failed - running(),
    concurrency,
  });
  setHandler(backfillProgressQuery, progress);
  const show = () => {
    const { succeeded, failed, running, pending } = progress();
    setCurrentDetails(`**Backfill** of ${pipeline.name}: ${succeeded} succeeded, ${failed} failed, ${running} running, ${pending} pending`);
  };
  return {
    tally,
    show,
    setConcurrency(limit: number) {
      concurrency = limit;
    },
    /** Counts how a date's run ended. */
    record(date: string, end: PipelineRunEnd) {
      if (end.outcome === 'succeeded') tally.succeeded += 1;
      else {
        tally.failed += 1;
        tally.failures.push({ date, ...(end.step && { step: end.step }), error: end.error });
      }
      show();
    },
  };
}

/** How a backfill refreshes its views once. */
export type RefreshViews = (input: StepDate<StepOf<'refresh'>>, summary: string) => Promise<RefreshResult>;

/** Once every date has ended: the one view refresh, then the result. */
export async function finishBackfill(
  pipeline: PipelineConfig | LegacyPipelineConfig,
  { firstDate, lastDate }: { firstDate?: string; lastDate: string },
  tally: BackfillTally,
  concurrency: number,
  refreshViews: RefreshViews,
): Promise<BackfillResult> {
  const refresh = await refreshViewsOnce(pipeline, lastDate, tally, refreshViews);
  setCurrentDetails(`**Backfill finished** for ${pipeline.name}: ${tally.succeeded} succeeded, ${tally.failed} failed; views ${refresh.outcome}`);
  // Backfills whose dates sent their own notifications (begun before the summary) send none.
  if (firstDate !== undefined) await sendSummary(pipeline, { from: firstDate, to: lastDate, tally, refresh });
  return { ...tally, concurrency, refresh };
}

/** The backfill's one notification, to the failure topic when a date or the refresh failed; a summary that cannot be sent is logged. */
async function sendSummary(pipeline: PipelineConfig | LegacyPipelineConfig, summary: { from: string; to: string; tally: BackfillTally; refresh: ViewsRefresh }) {
  const { successTopicArn, failureTopicArn } = pipeline.notifications;
  const topicArn = backfillSucceeded(summary) ? successTopicArn : failureTopicArn;
  const notify = stepsOfKind(pipeline, 'notify')[0];
  const { sendBackfillSummary } = proxyActivities<PipelineActivities>(stepOptions(notify, `publish the backfill's summary to ${topicArn}`));
  try {
    await CancellationScope.nonCancellable(() => observeStep(notify, () => sendBackfillSummary({ pipelineName: pipeline.name, topicArn, ...summary })));
  } catch (err) {
    log.error("Could not send the backfill's summary notification", { error: runFailure(err).error });
  }
}

/** What a backfill's dates notify: nothing, or their failures (`notifications.backfillAlerts`); the summary says the rest. */
export function dateNotifications(pipeline: PipelineConfig | LegacyPipelineConfig): { success: boolean; failure: boolean } {
  return { success: false, failure: pipeline.notifications.backfillAlerts === 'each-failure' };
}

/** The one view refresh of a backfill, after its last date; a failed refresh is reported with the dates. */
async function refreshViewsOnce(
  given: PipelineConfig | LegacyPipelineConfig,
  lastDate: string,
  tally: BackfillTally,
  refreshViews: RefreshViews,
): Promise<ViewsRefresh> {
  if (tally.succeeded === 0) return { outcome: 'skipped', reason: 'no date succeeded' };
  const pipeline = { ...given, steps: pipelineSteps(given) };
  const refreshes = stepsOfKind(pipeline, 'refresh');
  if (refreshes.length === 0) return { outcome: 'skipped', reason: 'the pipeline refreshes no views' };
  // Every refresh step's views at once, with the first one's options.
  const step = { ...refreshes[0], views: refreshes.flatMap((refresh) => refresh.views) };
  try {
    const summary = `refresh ${step.views.length} materialized view(s) once for the backfill`;
    const { viewsRefreshed } = await observeStep(step, () => refreshViews({ pipeline, step, date: lastDate }, summary));
    return { outcome: 'succeeded', viewsRefreshed };
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { outcome: 'failed', error: runFailure(err).error };
  }
}
