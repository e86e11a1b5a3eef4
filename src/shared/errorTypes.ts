/**
 * The type of every failure the pipeline throws or matches: activities and workflows throw them, retry policies
 * (`nonRetryableErrorTypes`) and workflow code match them, so a typo is a compile error instead of a permanent
 * failure silently retried. Workflow-safe: bundled into workflow code.
 */
export const errorTypes = {
  // A run's input or its config cannot be used: no retry changes it.
  InvalidRunInput: 'InvalidRunInput',
  InvalidBackfillInput: 'InvalidBackfillInput',
  InvalidDateError: 'InvalidDateError',
  InvalidTemplateError: 'InvalidTemplateError',
  NotStartedBySchedule: 'NotStartedBySchedule',
  NoSchedule: 'NoSchedule',

  // What ends a run: the step that failed is in the details.
  PipelineStepFailed: 'PipelineStepFailed',
  ScheduledRunFailed: 'ScheduledRunFailed',

  // A check of outside work that found it still running: Temporal checks again after a delay.
  StillRunning: 'StillRunning',

  // Validate.
  NoFilesForDate: 'NoFilesForDate',
  InvalidFiles: 'InvalidFiles',
  FilesStillLanding: 'FilesStillLanding',
  FileTooLarge: 'FileTooLarge',
  FilesLandedAfterValidation: 'FilesLandedAfterValidation',
  S3AccessDenied: 'S3AccessDenied',
  S3BucketNotFound: 'S3BucketNotFound',

  // Glue.
  GlueJobFailed: 'GlueJobFailed',
  GlueJobNotFound: 'GlueJobNotFound',
  GlueJobTimedOut: 'GlueJobTimedOut',
  GlueConcurrentRunsExceeded: 'GlueConcurrentRunsExceeded',
  UnsafeCopySource: 'UnsafeCopySource',
  InvalidCopySource: 'InvalidCopySource',

  // Glue crawlers and the Data Catalog.
  GlueCrawlerFailed: 'GlueCrawlerFailed',
  GlueCrawlerNotFound: 'GlueCrawlerNotFound',
  GlueCrawlerTimedOut: 'GlueCrawlerTimedOut',
  GlueTableNotFound: 'GlueTableNotFound',
  InvalidPartitionValues: 'InvalidPartitionValues',

  // Redshift.
  RedshiftStatementFailed: 'RedshiftStatementFailed',
  RedshiftStatementAborted: 'RedshiftStatementAborted',
  RedshiftStatementTimedOut: 'RedshiftStatementTimedOut',
  RowsOfAnotherDate: 'RowsOfAnotherDate',
  DuplicateKeys: 'DuplicateKeys',
  DateAlreadyAppended: 'DateAlreadyAppended',
  DataQualityCheckFailed: 'DataQualityCheckFailed',

  // SNS refusals a Publish retry cannot change, as the AWS SDK names them.
  InvalidParameterException: 'InvalidParameterException',
  NotFoundException: 'NotFoundException',
  AuthorizationErrorException: 'AuthorizationErrorException',

  // The Temporal client's error for a run that does not exist.
  WorkflowNotFoundError: 'WorkflowNotFoundError',
} as const;

export type ErrorType = (typeof errorTypes)[keyof typeof errorTypes];
