import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineConfig, StepName } from '../config/schema';
import { waitingHeartbeatTimeout } from '../shared/waitingHeartbeats';
import { errorTypes } from '../shared/errorTypes';

/** Error types that no retry can fix: the workflow fails at once and alerts. */
const badInput = [errorTypes.InvalidDateError, errorTypes.InvalidTemplateError];
const nonRetryableErrorTypes: Record<StepName, string[]> = {
  validate: [errorTypes.NoFilesForDate, errorTypes.InvalidFiles, ...badInput],
  glue: [errorTypes.GlueJobFailed, errorTypes.GlueJobNotFound, errorTypes.UnsafeCopySource, errorTypes.InvalidCopySource, ...badInput],
  load: [errorTypes.RedshiftStatementFailed, errorTypes.RedshiftStatementAborted, errorTypes.RowsOfAnotherDate, errorTypes.InvalidCopySource, errorTypes.FilesLandedAfterValidation, ...badInput],
  refresh: [errorTypes.RedshiftStatementFailed, errorTypes.RedshiftStatementAborted],
  notify: [errorTypes.InvalidParameterException, errorTypes.NotFoundException, errorTypes.AuthorizationErrorException],
};

/** The steps that start outside work and wait for it: a Glue run, a Redshift statement. */
export type WaitingStep = 'glue' | 'load' | 'refresh';

const defaults: Record<StepName, ActivityOptions> = {
  // A dead worker's step is retried on another worker within its heartbeat timeout: validation heartbeats every
  // few seconds whatever it does; the waiting steps say how long the outside work may take.
  validate: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout },
  glue: { startToCloseTimeout: '6h', heartbeatTimeout: waitingHeartbeatTimeout },
  load: { startToCloseTimeout: '2h', heartbeatTimeout: waitingHeartbeatTimeout },
  refresh: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout },
  // One Publish, which the SDK does not retry: an attempt lost with its worker is retried this soon.
  notify: { startToCloseTimeout: '20s' },
};

/** Starting a Glue run or submitting a statement lists, clears and calls AWS, but never waits for the work itself. */
const startTimeout = '10m';

/** Explicit timeouts, retry policy and cancellation type for one step, with the pipeline's overrides applied. */
export function stepOptions(pipeline: PipelineConfig, step: StepName, summary: string): ActivityOptions {
  const override = pipeline.steps[step] ?? {};
  return {
    ...defaults[step],
    ...(override.startToCloseTimeout && { startToCloseTimeout: override.startToCloseTimeout }),
    ...(override.heartbeatTimeout && { heartbeatTimeout: override.heartbeatTimeout }),
    retry: {
      // A step whose worker died resumes this soon after its heartbeat timeout. Glue's extra attempts keep
      // retrying ConcurrentRunsExceeded for about 45 minutes while the job's other runs finish.
      initialInterval: override.initialInterval ?? '2s',
      backoffCoefficient: 2,
      maximumInterval: '10m',
      maximumAttempts: override.maximumAttempts ?? (step === 'glue' ? 13 : 6),
      nonRetryableErrorTypes: nonRetryableErrorTypes[step],
    },
    // Stopping the Glue run or cancelling the statement must finish before the workflow reports cancelled.
    cancellationType:
      step === 'notify' ? ActivityCancellationType.TRY_CANCEL : ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    summary,
  };
}

/**
 * Starting a waiting step's outside work (StartJobRun, BatchExecuteStatement): the step's retries and heartbeat
 * timeout, attempts of at most 10 minutes. The step's startToCloseTimeout is the deadline of the wait instead.
 */
export function startOptions(pipeline: PipelineConfig, step: WaitingStep, summary: string): ActivityOptions {
  return { ...stepOptions(pipeline, step, summary), startToCloseTimeout: startTimeout };
}

/**
 * Waiting for a waiting step's outside work: each attempt checks once (GetJobRun, DescribeStatement) and, while
 * the work runs, fails with a delay to the next check, so waiting holds no worker slot and keeps the history
 * small. The step's startToCloseTimeout is the whole wait's deadline; its heartbeatTimeout bounds one check (a
 * check, or a dead worker, taking longer is retried); errors are retried with its initialInterval, unlimited
 * in number within the deadline. Cancelling needs no cleanup here: the workflow stops the work itself.
 */
export function waitOptions(pipeline: PipelineConfig, step: WaitingStep, summary: string): ActivityOptions {
  const override = pipeline.steps[step] ?? {};
  return {
    scheduleToCloseTimeout: override.startToCloseTimeout ?? defaults[step].startToCloseTimeout,
    startToCloseTimeout: override.heartbeatTimeout ?? defaults[step].heartbeatTimeout,
    retry: {
      initialInterval: override.initialInterval ?? '2s',
      backoffCoefficient: 2,
      maximumInterval: '10m',
      nonRetryableErrorTypes: nonRetryableErrorTypes[step],
    },
    cancellationType: ActivityCancellationType.TRY_CANCEL,
    summary,
  };
}

/** Stopping the outside work (BatchStopJobRun, CancelStatement), run by the workflow out of reach of its cancellation. */
export function stopOptions(summary: string): ActivityOptions {
  return {
    startToCloseTimeout: '1m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
    cancellationType: ActivityCancellationType.TRY_CANCEL,
    summary,
  };
}

/**
 * Checking one batch of a date's files: the validate step's options, but dispatched through the task queue,
 * never eagerly to the worker that scheduled it, so the batches of a big date spread over every worker serving it.
 */
export function validateBatchOptions(pipeline: PipelineConfig, summary: string): ActivityOptions {
  return { ...stepOptions(pipeline, 'validate', summary), allowEagerDispatch: false };
}
