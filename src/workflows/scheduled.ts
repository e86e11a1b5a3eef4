import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ApplicationFailure, ChildWorkflowFailure, executeChild, log, workflowInfo } from '@temporalio/workflow';
import type { PipelineConfig } from '../config/schema';
import { pipelineWorkflowId } from '../shared/ids';
import { runSummary, type PipelineRunInput, type PipelineRunResult } from '../shared/pipelineRun';
import { scheduledDate } from '../shared/scheduledDate';
import { scheduledStartTime } from '../shared/searchAttributes';
import { dailyPipeline } from './pipeline';

/** What a pipeline's Schedule starts: the config snapshot it was applied with (`etl schedule apply`). */
export interface ScheduledRunInput {
  pipeline: PipelineConfig;
}

export interface ScheduledRunResult {
  pipeline: string;
  /** The run's nominal time (TemporalScheduledStartTime), ISO 8601. */
  scheduledTime: string;
  date: string;
  /** The date's dailyPipeline run. */
  workflowId: string;
  /** 'already running': that date had an open run (started by hand or by an earlier schedule), left as it is. */
  outcome: 'succeeded' | 'already running';
  result?: PipelineRunResult;
}

/**
 * One scheduled run: works out the date from the time the run was scheduled for (not the clock, so late and
 * caught-up runs process the right date), then runs that date's dailyPipeline as a child. Its workflow id is
 * the date's, so a date still has at most one open run.
 */
export async function scheduledPipeline({ pipeline }: ScheduledRunInput): Promise<ScheduledRunResult> {
  const scheduledAt = workflowInfo().typedSearchAttributes.get(scheduledStartTime);
  if (!scheduledAt) {
    throw ApplicationFailure.nonRetryable(
      `scheduledPipeline runs only from a Temporal Schedule (it has no ${scheduledStartTime.name}); ` +
        `to run a date by hand use \`etl run --pipeline ${pipeline.name} --date YYYY-MM-DD\``,
      'NotStartedBySchedule',
    );
  }
  if (!pipeline.schedule) {
    throw ApplicationFailure.nonRetryable(`pipeline ${pipeline.name} has no schedule block`, 'NoSchedule');
  }
  const date = scheduledDate(scheduledAt, pipeline.schedule);
  const workflowId = pipelineWorkflowId(pipeline.name, date);
  const summary = { pipeline: pipeline.name, scheduledTime: scheduledAt.toISOString(), date, workflowId };
  log.info('Scheduled run', summary);
  try {
    const input: PipelineRunInput = { pipeline, date, trigger: 'schedule' };
    const result = await executeChild(dailyPipeline, { workflowId, args: [input], staticSummary: runSummary(input) });
    return { ...summary, outcome: 'succeeded', result };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      log.warn('The date already has an open run; leaving it to finish', summary);
      return { ...summary, outcome: 'already running' };
    }
    // The child's own message names the step and the error; the schedule shows it (also as its pause note).
    if (err instanceof ChildWorkflowFailure) {
      const message = `${workflowId}: ${err.cause?.message ?? err.message}`;
      throw ApplicationFailure.create({ type: 'ScheduledRunFailed', nonRetryable: true, message, cause: err });
    }
    throw err;
  }
}
