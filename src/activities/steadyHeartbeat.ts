import { Context } from '@temporalio/activity';
import { waitingHeartbeatEveryMs } from '../shared/waitingHeartbeats';

/** The details each running activity heartbeated last, repeated between its own heartbeats. */
const latestDetails = new WeakMap<Context, unknown>();

/** Heartbeats `details`; under `withSteadyHeartbeat` they are repeated until the next heartbeat. */
export function heartbeat(details: unknown): void {
  const context = Context.current();
  latestDetails.set(context, details);
  context.heartbeat(details);
}

/**
 * Runs `work` heartbeating every few seconds with the details it heartbeated last (at first, those of the
 * attempt before), so a short heartbeat timeout notices a dead worker soon even while one S3 call, such as
 * copying a 5 GiB object, takes minutes.
 */
export async function withSteadyHeartbeat<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const beat = () => context.heartbeat(latestDetails.has(context) ? latestDetails.get(context) : context.info.heartbeatDetails);
  const timer = setInterval(beat, waitingHeartbeatEveryMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
