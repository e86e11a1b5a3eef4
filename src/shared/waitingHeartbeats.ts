/**
 * The one-activity Glue, load and refresh steps that runs started before waiting held no slot still run heartbeat
 * this often whatever their poll interval, so a worker that dies while they wait is noticed within their heartbeat
 * timeout and the step resumes on another worker.
 */
export const waitingHeartbeatEveryMs = 5_000;

/**
 * A waiting step's heartbeat timeout unless its config sets one: how long a dead worker holds up the run. It bounds
 * starting the work (which heartbeats), each check of it, and the one-activity steps of earlier runs.
 */
export const waitingHeartbeatTimeout = '20s';

/** Below this a busy worker, between a slow poll and the next heartbeat, would time out steps that are alive. */
export const shortestWaitingHeartbeatTimeoutMs = 2 * waitingHeartbeatEveryMs;
