import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowCancellationType,
  ChildWorkflowFailure,
  ParentClosePolicy,
  executeChild,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineActivities } from '../activities';
import type { LegacyPipelineConfig, PipelineConfig } from '../config/schema';
import { errorTypes } from '../shared/errorTypes';
import { pipelineWorkflowId } from '../shared/ids';
import { runFailure } from '../shared/runFailure';
import { stepsOfKind } from '../shared/pipelineSteps';
import { runSummary, type PipelineRunInput, type PipelineRunResult } from '../shared/pipelineRun';
import { scheduledDate } from '../shared/scheduledDate';
import { scheduledById, scheduledStartTime, searchAttributes } from '../shared/searchAttributes';
import { observeStep } from './lifecycle';
import { pipelineRunChild } from './pipeline';
import { stepOptions } from './stepOptions';

/** What a pipeline's Schedule starts: the config snapshot it was applied with (`etl schedule apply`). */
export interface ScheduledRunInput {
  pipeline: PipelineConfig | LegacyPipelineConfig;
}

export interface ScheduledRunResult {
  pipeline: string;
  /** The run's nominal time (TemporalScheduledStartTime), ISO 8601. */
  scheduledTime: string;
  date: string;
  /** The workflow id of the date's run. */
  workflowId: string;
  /**
   * 'alreadyRunning': that date had an open run (started by hand or by an earlier schedule), left as it is.
   * 'skipped': with overlap skip, an earlier scheduled date was still running; the date did not run (alerted).
   */
  outcome: 'succeeded' | 'alreadyRunning' | 'skipped';
  result?: PipelineRunResult;
  /** Why the date was skipped. */
  reason?: string;
}

const { openEarlierScheduledRuns, pauseSchedule } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '1m',
  // Reading visibility or pausing a schedule has no error that a retry cannot fix.
  retry: { initialInterval: '1s', maximumAttempts: 5, nonRetryableErrorTypes: [] },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});

/**
 * One scheduled run: works out the date from the time the run was scheduled for (not the clock, so late and
 * caught-up runs process the right date), then runs that date's pipelineRun as a child. Its workflow id is
 * the date's, so a date still has at most one open run, and the date's run outlives this one. With overlap
 * skip, this run decides the overlap itself (the Schedule allows all), so a skipped date is recorded and alerted.
 */
export async function scheduledPipeline({ pipeline }: ScheduledRunInput): Promise<ScheduledRunResult> {
  const scheduledAt = workflowInfo().typedSearchAttributes.get(scheduledStartTime);
  // The schedule that started this run, under whichever id it had then.
  const scheduleId = workflowInfo().typedSearchAttributes.get(scheduledById);
  if (!scheduledAt || !scheduleId) {
    throw ApplicationFailure.nonRetryable(
      `scheduledPipeline runs only from a Temporal Schedule (it has no ${scheduledStartTime.name}); ` +
        `to run a date by hand use \`etl run --pipeline ${pipeline.name} --date YYYY-MM-DD\``,
      errorTypes.NotStartedBySchedule,
    );
  }
  const { schedule } = pipeline;
  if (!schedule) {
    throw ApplicationFailure.nonRetryable(`pipeline ${pipeline.name} has no schedule block`, errorTypes.NoSchedule);
  }
  const date = scheduledDate(scheduledAt, schedule);
  const workflowId = pipelineWorkflowId(pipeline.name, date);
  const summary = { pipeline: pipeline.name, scheduledTime: scheduledAt.toISOString(), date, workflowId };
  log.info('Scheduled run', summary);
  // Runs recorded before skips were decided here replay as they ran.
  if (schedule.overlap === 'skip' && patched('skip-while-earlier-date-runs')) {
    const earlier = await openEarlierScheduledRuns({ scheduleId, before: summary.scheduledTime });
    const running = earlier
      .map((run) => ({ workflowId: run.workflowId, date: scheduledDate(new Date(run.scheduledTime), schedule) }))
      // An earlier run for this same date (a wall-clock hour that repeats) is not another date: attach as below.
      .find((run) => run.date !== date);
    if (running) return await skipDate(pipeline, summary, running);
  }
  try {
    const input: PipelineRunInput = { pipeline, date, trigger: 'schedule' };
    const result = await executeChild(pipelineRunChild(), {
      workflowId,
      args: [input],
      staticSummary: runSummary(input),
      // The date's run belongs to the date: terminating or cancelling this run leaves it running.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      cancellationType: ChildWorkflowCancellationType.ABANDON,
    });
    return { ...summary, outcome: 'succeeded', result };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      log.warn('The date already has an open run; leaving it to finish', summary);
      return { ...summary, outcome: 'alreadyRunning' };
    }
    // This run was cancelled: it ends so, and the date's run carries on.
    if (isCancellation(err) && CancellationScope.current().consideredCancelled) throw err;
    // The child's own message names the step and the error; the schedule shows it (also as its pause note).
    if (err instanceof ChildWorkflowFailure) {
      const message = `${workflowId}: ${runFailure(err).error}`;
      // Temporal watches a schedule's runs only when they cannot overlap, so the run pauses its schedule itself.
      if (schedule.pauseOnFailure && patched('pause-schedule-on-failure')) {
        const resume = `\`etl schedule unpause --pipeline ${pipeline.name}\``;
        const note = `paused because a scheduled run failed: ${message}. Unpause with ${resume} once the date is fixed`;
        // The run's own failure is what matters; a pause that could not be made is only logged.
        await pauseSchedule({ scheduleId, note }).catch((pauseError: unknown) =>
          log.error('Could not pause the schedule', { scheduleId, error: runFailure(pauseError).error }),
        );
      }
      throw ApplicationFailure.create({ type: errorTypes.ScheduledRunFailed, nonRetryable: true, message, cause: err });
    }
    throw err;
  }
}

/**
 * The date due while an earlier scheduled date still runs, under overlap skip: it does not run, and says so. The
 * skip is recorded on this run's search attributes (`etl status` shows the date as skipped) and alerted on the
 * failure topic with the command that runs the date.
 */
async function skipDate(
  pipeline: PipelineConfig | LegacyPipelineConfig,
  summary: Omit<ScheduledRunResult, 'outcome'>,
  running: { workflowId: string; date: string },
): Promise<ScheduledRunResult> {
  const { date } = summary;
  const reason =
    `skipped: the scheduled run ${running.workflowId} (for ${running.date}) was still running when ${date} fell due, ` +
    `and the schedule's overlap policy is skip. Run the date with \`etl run --pipeline ${pipeline.name} --date ${date} --wait\``;
  log.warn('Scheduled date skipped', { date, running: running.workflowId });
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: pipeline.name },
    { key: searchAttributes.date, value: new Date(`${date}T00:00:00Z`) },
    { key: searchAttributes.trigger, value: 'schedule' },
    { key: searchAttributes.outcome, value: 'skipped' },
  ]);
  setCurrentDetails(`**Skipped** ${pipeline.name} ${date}: ${reason}`);
  const topicArn = pipeline.notifications.failureTopicArn;
  const notify = stepsOfKind(pipeline, 'notify')[0];
  const { sendNotification } = proxyActivities<PipelineActivities>(stepOptions(notify, `publish the skip to ${topicArn}`));
  await observeStep(notify, () =>
    sendNotification({ pipelineName: pipeline.name, date, trigger: 'schedule', outcome: 'failed', topicArn, failedStep: 'schedule', error: reason, details: [] }),
  );
  return { ...summary, outcome: 'skipped', reason };
}
