import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, log, patched, TimeoutFailure, type ActivityOptions } from '@temporalio/workflow';
import { RetryState, type Duration } from '@temporalio/common';
import type { PipelineConfig, StepOf } from '../config/schema';
import { glueStartInput, loadInput, refreshInput, sqlInput } from '../shared/activityInputs';
import { errorTypes } from '../shared/errorTypes';
import type { CrawlerResult, GlueRunResult, LoadResult, RefreshResult, SqlStepResult } from '../shared/stepResults';
import type { Trigger } from '../shared/pipelineRun';

import { activities } from './activityProxy';
import { startOptions, stopOptions, waitOptions, type WaitingStepConfig } from './stepOptions';

// The Glue, crawler, load, sql and refresh steps: a short activity starts the outside work, a checking activity that Temporal
// retries until the work is done waits for it without holding a worker slot, and the workflow stops the work
// when the run is cancelled or the wait's deadline passes.

/** Tells the run's current details what the step now waits on. */
type Waiting = (what: string) => void;

/** The date a step runs for, the pipeline's config it takes its activities' inputs from, and the step's own settings. */
export interface StepDate<Step> {
  pipeline: PipelineConfig;
  step: Step;
  date: string;
}

/** The Glue step's run: its own settings, or those its pipeline gives runs of the trigger (a backfill on FLEX). */
export async function glueStep(
  { pipeline, step, date }: StepDate<StepOf<'glue'>>,
  { runKey, trigger }: { runKey: string; trigger: Trigger },
  summary: string,
  waiting: Waiting,
): Promise<GlueRunResult> {
  const { jobName, pollInterval } = step;
  const started = await activities(startOptions(step, summary)).startGlueJobRun(glueStartInput(pipeline, step, date, runKey, trigger));
  const run = { jobName, jobRunId: started.jobRunId };
  waiting(
    `Glue run ${run.jobRunId} of ${jobName} ${started.adopted ? 'adopted' : 'started'}${started.consoleUrl ? ` ([Glue console](${started.consoleUrl}))` : ''}; checked every ${pollInterval} at most`,
  );
  const figures = await untilDone(step, {
    wait: (options) => activities(options).waitForGlueJobRun({ ...run, pollInterval, ...(pipeline.cost && { cost: pipeline.cost }) }),
    waitSummary: `wait for Glue run ${run.jobRunId} of ${jobName}`,
    stop: (options) => activities(options).stopGlueJobRun(run),
    stopSummary: `stop Glue run ${run.jobRunId} of ${jobName}`,
    timedOut: (deadline) =>
      ApplicationFailure.nonRetryable(
        `Glue job ${jobName} run ${run.jobRunId} did not finish within ${deadline} (options.startToCloseTimeout of step ${step.id}) and was stopped: ` +
          `raise the timeout in the pipeline config if the job needs longer, then run the date again`,
        errorTypes.GlueJobTimedOut,
        run,
      ),
  });
  return { ...started, state: 'SUCCEEDED', ...figures };
}

export async function crawlerStep({ step }: StepDate<StepOf<'crawler'>>, summary: string, waiting: Waiting): Promise<CrawlerResult> {
  const crawler = { crawlerName: step.name };
  const started = await activities(startOptions(step, summary)).startCrawler(crawler);
  waiting(`crawler ${step.name} ${started.adopted ? 'was already running: its crawl is waited for' : 'started'}; checked every ${step.pollInterval} at most`);
  const figures = await untilDone(step, {
    wait: (options) => activities(options).waitForCrawler({ ...crawler, pollInterval: step.pollInterval }),
    waitSummary: `wait for crawler ${step.name}`,
    stop: (options) => activities(options).stopCrawler(crawler),
    stopSummary: `stop crawler ${step.name}`,
    timedOut: (deadline) =>
      ApplicationFailure.nonRetryable(
        `Glue crawler ${step.name} did not finish within ${deadline} (options.startToCloseTimeout of step ${step.id}) and was stopped: ` +
          `raise the timeout in the pipeline config if it needs longer, then run the date again`,
        errorTypes.GlueCrawlerTimedOut,
        crawler,
      ),
  });
  return { ...started, ...figures };
}

export async function loadStep({ pipeline, step, date }: StepDate<StepOf<'load'>>, summary: string, waiting: Waiting): Promise<LoadResult> {
  const input = loadInput(pipeline, step, date);
  return statementStep(step, summary, waiting, {
    what: `the load of ${step.table}`,
    pollInterval: input.redshift.pollInterval,
    submit: (options) => activities(options).submitLoad(input),
    wait: (options, statementId) => activities(options).waitForLoad({ ...input, statementId }),
  });
}

export async function refreshStep({ pipeline, step, date }: StepDate<StepOf<'refresh'>>, summary: string, waiting: Waiting): Promise<RefreshResult> {
  if (step.views.length === 0) return { viewsRefreshed: [] };
  const input = refreshInput(pipeline, step.views, date);
  return statementStep(step, summary, waiting, {
    what: `the refresh of ${step.views.join(', ')}`,
    pollInterval: input.redshift.pollInterval,
    submit: (options) => activities(options).submitViewRefresh(input),
    wait: (options, statementId) => activities(options).waitForViewRefresh({ ...input, statementId }),
  });
}

export async function sqlStep({ pipeline, step, date }: StepDate<StepOf<'sql'>>, summary: string, waiting: Waiting): Promise<SqlStepResult> {
  const input = sqlInput(pipeline, step, date);
  return statementStep(step, summary, waiting, {
    what: `the statements of ${step.id}`,
    pollInterval: input.redshift.pollInterval,
    submit: (options) => activities(options).submitSql(input),
    wait: (options, statementId) => activities(options).waitForSql({ ...input, statementId }),
  });
}

/** A step's Redshift statement: submitted, then waited for; cancelled with the run, submitted again when Redshift aborted it. */
async function statementStep<T>(
  step: WaitingStepConfig,
  summary: string,
  waiting: Waiting,
  statement: {
    what: string;
    pollInterval: Duration;
    submit: (options: ActivityOptions) => Promise<{ statementId: string }>;
    wait: (options: ActivityOptions, statementId: string) => Promise<T>;
  },
): Promise<T> {
  return resubmittingAborted(waiting, async () => {
    const { statementId } = await statement.submit(startOptions(step, summary));
    waiting(`Redshift statement ${statementId} submitted; checked every ${statement.pollInterval} at most`);
    return untilDone(step, {
      wait: (options) => statement.wait(options, statementId),
      waitSummary: `wait for ${statement.what} (statement ${statementId})`,
      ...cancelling(statementId, step.id),
    });
  });
}

/** A statement aborted outside the run (by a user or a Redshift rule) rolled back whole: submitting it again is safe. */
const abortedResubmissions = 2;

/**
 * Runs a statement's submit-and-wait, submitting it again when Redshift aborted it. Each submission is a new
 * activity, so it gets a new ClientToken and is a new statement. Runs that failed on an abort replay as they ran.
 */
async function resubmittingAborted<T>(waiting: Waiting, submitAndWait: () => Promise<T>): Promise<T> {
  for (let resubmission = 0; ; resubmission++) {
    try {
      return await submitAndWait();
    } catch (err) {
      if (!(wasAborted(err) && resubmission < abortedResubmissions && patched('resubmit-aborted-statements'))) throw err;
      waiting(`Redshift aborted the statement; submitting it again (${resubmission + 1} of ${abortedResubmissions})`);
    }
  }
}

function wasAborted(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === errorTypes.RedshiftStatementAborted;
}

function cancelling(statementId: string, stepId: string) {
  return {
    stop: (options: ActivityOptions) => activities(options).cancelStatement({ statementId }),
    stopSummary: `cancel Redshift statement ${statementId}`,
    timedOut: (deadline: string) =>
      ApplicationFailure.nonRetryable(
        `Redshift statement ${statementId} did not finish within ${deadline} (options.startToCloseTimeout of step ${stepId}) and was cancelled; ` +
          `nothing was committed: raise the timeout in the pipeline config if it needs longer, then run the date again`,
        errorTypes.RedshiftStatementTimedOut,
        { statementId },
      ),
  };
}

interface Wait<T> {
  wait: (options: ActivityOptions) => Promise<T>;
  waitSummary: string;
  stop: (options: ActivityOptions) => Promise<void>;
  stopSummary: string;
  timedOut: (deadline: string) => ApplicationFailure;
}

/** Waits for the started work; on cancellation or past the deadline, stops it first, whatever cancels the run. */
async function untilDone<T>(step: WaitingStepConfig, { wait, waitSummary, stop, stopSummary, timedOut }: Wait<T>): Promise<T> {
  const options = waitOptions(step, waitSummary);
  try {
    return await wait(options);
  } catch (err) {
    const pastDeadline = deadlinePassed(err);
    if (!pastDeadline && !isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => stop(stopOptions(stopSummary))).catch((stopErr: unknown) =>
      log.warn('Could not stop the outside work', { step: step.id, error: (stopErr as Error).message }),
    );
    throw pastDeadline ? timedOut(String(options.scheduleToCloseTimeout)) : err;
  }
}

/** The wait's schedule-to-close timeout: it fired between checks, or the next check would have come after it. */
function deadlinePassed(err: unknown): boolean {
  if (!(err instanceof ActivityFailure)) return false;
  if (err.cause instanceof TimeoutFailure) return err.cause.timeoutType === 'SCHEDULE_TO_CLOSE';
  return err.retryState === RetryState.TIMEOUT;
}
