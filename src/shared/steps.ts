import { ActivityCancellationType, type Duration } from '@temporalio/common';
import { errorTypes, type ErrorType } from './errorTypes';
import { waitingHeartbeatTimeout } from './waitingHeartbeats';

// The pipeline's steps, in the order they run: the one place a step is defined. The config's step names, the
// workflow's order and progress, retry policies, metric labels, the CLI's --from-step choices and the printers'
// titles all come from here. Workflow-safe: bundled into workflow code.

export interface StepDefinition {
  /** How progress, notifications and the CLI name the step. */
  title: string;
  /** The activities the step schedules, the one it starts with first. */
  activities: readonly string[];
  /** The one activity that carried out the step in runs started before it was split up; they replay as they ran. */
  earlierActivity?: string;
  /** Options of the step's activities unless the pipeline's `steps.<name>` overrides them. */
  defaults: {
    startToCloseTimeout: Duration;
    heartbeatTimeout?: Duration;
    maximumAttempts: number;
    cancellationType: ActivityCancellationType;
  };
  /** Failures no retry can fix: the run fails at once and alerts. */
  nonRetryableErrorTypes: readonly ErrorType[];
  /** The outside work the step starts and then waits for without holding a worker slot. */
  waitsOn?: string;
}

/** A date or a template the config checked can still fail at run time: no retry changes it. */
const badInput = [errorTypes.InvalidDateError, errorTypes.InvalidTemplateError];

/** A cancelled activity finishes its cleanup (stopping the Glue run, cancelling the statement) before the workflow reports cancelled. */
const cleansUp = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;

export const steps = {
  validate: {
    title: 'Validate files',
    activities: ['planValidationRound', 'validateFileBatch', 'finishValidation'],
    earlierActivity: 'validateFiles',
    // A dead worker's step is retried on another worker within its heartbeat timeout: validation heartbeats every
    // few seconds whatever it does; the waiting steps say how long the outside work may take.
    defaults: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
    nonRetryableErrorTypes: [errorTypes.NoFilesForDate, errorTypes.InvalidFiles, ...badInput],
  },
  glue: {
    title: 'Run Glue job',
    activities: ['startGlueJobRun', 'waitForGlueJobRun', 'stopGlueJobRun'],
    earlierActivity: 'runGlueJob',
    // The extra attempts keep retrying GlueConcurrentRunsExceeded for about 45 minutes while the job's other runs finish.
    defaults: { startToCloseTimeout: '6h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 13, cancellationType: cleansUp },
    nonRetryableErrorTypes: [errorTypes.GlueJobFailed, errorTypes.GlueJobNotFound, errorTypes.UnsafeCopySource, errorTypes.InvalidCopySource, ...badInput],
    waitsOn: 'a Glue run',
  },
  load: {
    title: 'Load to Redshift',
    activities: ['confirmNoFilesLanded', 'submitLoad', 'waitForLoad', 'cancelStatement'],
    earlierActivity: 'loadToRedshift',
    defaults: { startToCloseTimeout: '2h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
    nonRetryableErrorTypes: [
      errorTypes.RedshiftStatementFailed,
      errorTypes.RedshiftStatementAborted,
      errorTypes.RowsOfAnotherDate,
      errorTypes.DuplicateKeys,
      errorTypes.DateAlreadyAppended,
      errorTypes.InvalidCopySource,
      errorTypes.FilesLandedAfterValidation,
      ...badInput,
    ],
    waitsOn: 'a Redshift statement',
  },
  sql: {
    title: 'Run SQL',
    activities: ['submitSql', 'waitForSql', 'cancelStatement'],
    defaults: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
    nonRetryableErrorTypes: [errorTypes.RedshiftStatementFailed, errorTypes.RedshiftStatementAborted, errorTypes.DataQualityCheckFailed, ...badInput],
    waitsOn: 'a Redshift statement',
  },
  crawler: {
    title: 'Run Glue crawler',
    activities: ['startCrawler', 'waitForCrawler', 'stopCrawler'],
    defaults: { startToCloseTimeout: '2h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
    nonRetryableErrorTypes: [errorTypes.GlueCrawlerFailed, errorTypes.GlueCrawlerNotFound],
    waitsOn: 'a Glue crawl',
  },
  partitions: {
    title: 'Register partition',
    activities: ['registerPartition'],
    defaults: { startToCloseTimeout: '5m', maximumAttempts: 6, cancellationType: ActivityCancellationType.TRY_CANCEL },
    nonRetryableErrorTypes: [errorTypes.GlueTableNotFound, errorTypes.InvalidPartitionValues, ...badInput],
  },
  refresh: {
    title: 'Refresh views',
    activities: ['submitViewRefresh', 'waitForViewRefresh', 'cancelStatement'],
    earlierActivity: 'refreshViews',
    defaults: { startToCloseTimeout: '1h', heartbeatTimeout: waitingHeartbeatTimeout, maximumAttempts: 6, cancellationType: cleansUp },
    nonRetryableErrorTypes: [errorTypes.RedshiftStatementFailed, errorTypes.RedshiftStatementAborted],
    waitsOn: 'a Redshift statement',
  },
  notify: {
    title: 'Send notification',
    activities: ['sendNotification'],
    // One Publish, which the SDK does not retry: an attempt lost with its worker is retried this soon.
    defaults: { startToCloseTimeout: '20s', maximumAttempts: 6, cancellationType: ActivityCancellationType.TRY_CANCEL },
    nonRetryableErrorTypes: [errorTypes.InvalidParameterException, errorTypes.NotFoundException, errorTypes.AuthorizationErrorException],
  },
} as const satisfies Record<string, StepDefinition>;

export type StepKind = keyof typeof steps;

/** The steps in the order they run. */
export const stepKinds = Object.keys(steps) as readonly StepKind[];

/** The steps that start outside work and wait for it: a Glue run, a Redshift statement. */
export type WaitingStep = { [K in StepKind]: (typeof steps)[K] extends { waitsOn: string } ? K : never }[StepKind];
