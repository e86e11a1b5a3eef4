import { ActivityCancellationType, type Duration } from '@temporalio/common';
import { errorTypes, type ErrorType } from '../shared/errorTypes';

// What defines a step kind, in each kind's definition.ts. Workflow-safe: bundled into workflow code.

export interface StepDefinition {
  /** How progress, notifications and the CLI name the step. */
  title: string;
  /** The activities the step schedules, the one it starts with first. */
  activities: readonly string[];
  /** The one activity that carried out the step in runs started before it was split up; they replay as they ran. */
  earlierActivity?: string;
  /** Options of the step's activities unless the step's `options` override them. */
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
  /** False for a step a rerun always carries out again: a later step's rerun otherwise reuses its result. */
  reusable?: false;
}

/** A date or a template the config checked can still fail at run time: no retry changes it. */
export const badInput = [errorTypes.InvalidDateError, errorTypes.InvalidTemplateError];

/** A cancelled activity finishes its cleanup (stopping the Glue run, cancelling the statement) before the workflow reports cancelled. */
export const cleansUp = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;

/** How every step's retries back off between attempts, whatever its kind. */
export const stepRetryBackoff = { backoffCoefficient: 2, maximumInterval: '10m' } as const;
