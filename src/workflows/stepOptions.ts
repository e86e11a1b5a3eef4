import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineStep } from '../config/schema';
import { steps, type StepDefinition, type WaitingStep } from '../steps/registry';
import { stepRetryBackoff } from '../steps/definition';

/** A step that starts outside work and waits for it. */
export type WaitingStepConfig = Pick<PipelineStep, 'id' | 'options'> & { kind: WaitingStep };

/** Starting a Glue run or submitting a statement lists, clears and calls AWS, but never waits for the work itself. */
const startTimeout = '10m';

/** Explicit timeouts, retry policy and cancellation type for one step, with the step's own options applied. */
export function stepOptions(step: Pick<PipelineStep, 'kind' | 'options'>, summary: string): ActivityOptions {
  const override = step.options;
  const { defaults, nonRetryableErrorTypes }: StepDefinition = steps[step.kind];
  const heartbeatTimeout = override.heartbeatTimeout ?? defaults.heartbeatTimeout;
  return {
    startToCloseTimeout: override.startToCloseTimeout ?? defaults.startToCloseTimeout,
    ...(heartbeatTimeout && { heartbeatTimeout }),
    retry: {
      // A step whose worker died resumes this soon after its heartbeat timeout.
      initialInterval: override.initialInterval ?? '2s',
      ...stepRetryBackoff,
      maximumAttempts: override.maximumAttempts ?? defaults.maximumAttempts,
      nonRetryableErrorTypes: [...nonRetryableErrorTypes],
    },
    cancellationType: defaults.cancellationType,
    summary,
  };
}

/**
 * Starting a waiting step's outside work (StartJobRun, BatchExecuteStatement): the step's retries and heartbeat
 * timeout, attempts of at most 10 minutes. The step's startToCloseTimeout is the deadline of the wait instead.
 */
export function startOptions(step: WaitingStepConfig, summary: string): ActivityOptions {
  return { ...stepOptions(step, summary), startToCloseTimeout: startTimeout };
}

/**
 * Waiting for a waiting step's outside work: each attempt checks once (GetJobRun, DescribeStatement) and, while
 * the work runs, fails with a delay to the next check, so waiting holds no worker slot and keeps the history
 * small. The step's startToCloseTimeout is the whole wait's deadline; its heartbeatTimeout bounds one check (a
 * check, or a dead worker, taking longer is retried); errors are retried with its initialInterval, unlimited
 * in number within the deadline. Cancelling needs no cleanup here: the workflow stops the work itself.
 */
export function waitOptions(step: WaitingStepConfig, summary: string): ActivityOptions {
  const override = step.options;
  const { defaults, nonRetryableErrorTypes }: StepDefinition = steps[step.kind];
  return {
    scheduleToCloseTimeout: override.startToCloseTimeout ?? defaults.startToCloseTimeout,
    startToCloseTimeout: override.heartbeatTimeout ?? defaults.heartbeatTimeout,
    retry: {
      initialInterval: override.initialInterval ?? '2s',
      ...stepRetryBackoff,
      nonRetryableErrorTypes: [...nonRetryableErrorTypes],
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
export function validateBatchOptions(step: Pick<PipelineStep, 'kind' | 'options'>, summary: string): ActivityOptions {
  return { ...stepOptions(step, summary), allowEagerDispatch: false };
}
