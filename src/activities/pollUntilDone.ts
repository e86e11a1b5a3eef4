import { CancelledFailure, cancellationDetails, heartbeat, log, sleep } from '@temporalio/activity';
import { msToNumber, type Duration } from '@temporalio/common';
import { waitingHeartbeatEveryMs } from '../shared/waitingHeartbeats';

export interface PollOptions<T> {
  /** Time between checks, such as "30s". */
  interval: Duration;
  /** Heartbeat details that let the next attempt resume instead of starting over. */
  progress: unknown;
  /** Returns the result once the outside work is done, undefined while it is still running. */
  check: () => Promise<T | undefined>;
  /** Stops the outside work; called when the workflow cancels this activity. */
  stop: () => Promise<void>;
}

/**
 * Waits for outside work (a Glue run, a Redshift statement) while heartbeating, so Temporal sees
 * the activity alive and can deliver cancellation.
 */
export async function pollUntilDone<T>({ interval, progress, check, stop }: PollOptions<T>): Promise<T> {
  try {
    for (;;) {
      const result = await check();
      if (result !== undefined) return result;
      await sleepHeartbeating(msToNumber(interval), progress);
    }
  } catch (err) {
    // Only a cancel requested by the workflow stops the work. On worker shutdown or a timeout the
    // work keeps running and the next attempt resumes it from the heartbeat details.
    if (err instanceof CancelledFailure && cancellationDetails()?.cancelRequested) {
      await stop().catch((stopErr: unknown) => {
        log.warn('Could not stop the outside work after cancellation', { error: String(stopErr) });
      });
    }
    throw err;
  }
}

/**
 * Heartbeats every few seconds however long the wait, so a short heartbeat timeout notices a dead worker soon.
 * Only the wait heartbeats: a check that hangs lets the heartbeat timeout retry the step.
 */
async function sleepHeartbeating(ms: number, progress: unknown): Promise<void> {
  for (let left = ms; left > 0; left -= waitingHeartbeatEveryMs) {
    heartbeat(progress);
    await sleep(Math.min(left, waitingHeartbeatEveryMs));
  }
}
