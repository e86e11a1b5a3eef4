import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineConfig, StepName } from '../config/schema';
import { waitingHeartbeatTimeout } from '../shared/waitingHeartbeats';

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
  // The steps that wait on AWS heartbeat every few seconds, however long their poll interval.
  glue: { startToCloseTimeout: '6h', heartbeatTimeout: waitingHeartbeatTimeout },
  load: { startToCloseTimeout: '2h', heartbeatTimeout: waitingHeartbeatTimeout },
  refresh: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout },
  notify: { startToCloseTimeout: '1m' },
};

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
