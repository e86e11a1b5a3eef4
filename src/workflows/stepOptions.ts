import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { msToNumber, type Duration } from '@temporalio/common/lib/time';
import type { PipelineConfig, StepName } from '../config/schema';

/** Error types that no retry can fix: the workflow fails at once and alerts. */
const badInput = ['InvalidDateError', 'InvalidTemplateError'];
const nonRetryableErrorTypes: Record<StepName, string[]> = {
  validate: ['NoFilesForDate', 'InvalidFiles', ...badInput],
  glue: ['GlueJobFailed', 'GlueJobNotFound', 'UnsafeCopySource', 'InvalidCopySource', ...badInput],
  load: ['RedshiftStatementFailed', 'RedshiftStatementAborted', 'RowsOfAnotherDate', 'InvalidCopySource', 'FilesLandedAfterValidation', ...badInput],
  refresh: ['RedshiftStatementFailed', 'RedshiftStatementAborted'],
  notify: ['InvalidParameterException', 'NotFoundException', 'AuthorizationErrorException'],
};

const defaults: Record<StepName, ActivityOptions> = {
  validate: { startToCloseTimeout: '1h', heartbeatTimeout: '5m' },
  glue: { startToCloseTimeout: '6h' },
  load: { startToCloseTimeout: '2h' },
  refresh: { startToCloseTimeout: '1h' },
  notify: { startToCloseTimeout: '1m' },
};

/** A waiting activity heartbeats once per poll, so its heartbeat timeout must outlast a few polls. */
function heartbeatTimeoutFor(pollInterval: Duration): Duration {
  return `${Math.max(120_000, 3 * msToNumber(pollInterval))}ms`;
}

/** Explicit timeouts, retry policy and cancellation type for one step, with the pipeline's overrides applied. */
export function stepOptions(pipeline: PipelineConfig, step: StepName, summary: string): ActivityOptions {
  const override = pipeline.steps[step] ?? {};
  const waits: Duration | undefined = step === 'glue' ? pipeline.glue.pollInterval : step === 'load' || step === 'refresh' ? pipeline.redshift.pollInterval : undefined;
  return {
    ...defaults[step],
    ...(waits && { heartbeatTimeout: heartbeatTimeoutFor(waits) }),
    ...(override.startToCloseTimeout && { startToCloseTimeout: override.startToCloseTimeout }),
    ...(override.heartbeatTimeout && { heartbeatTimeout: override.heartbeatTimeout }),
    retry: {
      initialInterval: override.initialInterval ?? (step === 'glue' ? '30s' : '5s'),
      backoffCoefficient: 2,
      maximumInterval: '10m',
      maximumAttempts: override.maximumAttempts ?? (step === 'glue' ? 10 : 5),
      nonRetryableErrorTypes: nonRetryableErrorTypes[step],
    },
    // Stopping the Glue run or cancelling the statement must finish before the workflow reports cancelled.
    cancellationType:
      step === 'notify' ? ActivityCancellationType.TRY_CANCEL : ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    summary,
  };
}
