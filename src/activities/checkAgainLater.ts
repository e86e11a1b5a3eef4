import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { msToNumber, type Duration } from '@temporalio/common';
import { errorTypes } from '../shared/errorTypes';

/** A run's first checks come soon and then further apart, up to its poll interval: a short job is seen done quickly. */
const firstCheckAfterMs = 1_000;

/**
 * Ends one check of outside work (a Glue run, a Redshift statement) that is still running. Temporal runs the
 * check again after the delay, as a retry: between checks the wait holds no worker slot and adds nothing to
 * the run's history. Benign, so the worker logs it at debug level and does not count it as a failed activity.
 */
export function checkAgainLater(what: string, pollInterval: Duration): ApplicationFailure {
  const { attempt } = activityInfo();
  const delayMs = Math.min(msToNumber(pollInterval), firstCheckAfterMs * 2 ** Math.min(attempt - 1, 30));
  return ApplicationFailure.create({
    message: `${what}; checking again in ${delayMs / 1000}s`,
    type: errorTypes.StillRunning,
    nextRetryDelay: delayMs,
    category: ApplicationFailureCategory.BENIGN,
  });
}
